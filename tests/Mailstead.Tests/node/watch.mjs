// Opens INBOX with imapflow and lets it IDLE, printing what the server announces, until the server closes the
// connection or 60 s pass. Usage: node watch.mjs <imaps port> <user> <password>
import { ImapFlow } from 'imapflow';

const [port, user, pass] = process.argv.slice(2);
const client = new ImapFlow({
  host: '127.0.0.1',
  port: Number(port),
  secure: true,
  auth: { user, pass },
  tls: { rejectUnauthorized: false },
  logger: false,
  maxIdleTime: 60_000,
});
const since = Date.now();
const say = (text) => console.log(`${((Date.now() - since) / 1000).toFixed(3)} ${text}`);

client.on('exists', (data) => say(`exists ${data.count}`));
client.on('flags', (data) => say(`flags ${[...data.flags].join(' ')}`));
client.on('close', () => {
  say('closed');
  process.exit(0);
});
client.on('error', (error) => say(`error ${error.message}`));

await client.connect();
const mailbox = await client.mailboxOpen('INBOX');
setTimeout(() => {
  say('timeout');
  process.exit(3);
}, 60_000);
say(`ready ${mailbox.exists}`);
await client.idle();
