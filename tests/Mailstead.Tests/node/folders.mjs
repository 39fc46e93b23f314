// Lets imapflow enable what it likes (IMAP4rev2 when offered), then searches, makes a folder with a non-ASCII name,
// copies the search result there and lists and counts it, printing one line a step.
// Usage: node folders.mjs <imaps port> <user> <password>
import { ImapFlow } from 'imapflow';

const [port, user, pass] = process.argv.slice(2);
const client = new ImapFlow({
  host: '127.0.0.1',
  port: Number(port),
  secure: true,
  auth: { user, pass },
  tls: { rejectUnauthorized: false },
  logger: false,
});
const message = (subject) =>
  `From: Bob <bob@example.org>\r\nTo: ${user}\r\nSubject: ${subject}\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nHello.\r\n`;

await client.connect();
console.log(`enabled ${[...client.enabled].sort().join(' ')}`);
for (const [i, flags] of [[], ['\\Flagged'], ['\\Flagged']].entries()) {
  await client.append('INBOX', message(`number ${i + 1}`), flags);
}
await client.mailboxOpen('INBOX');
const flagged = await client.search({ flagged: true }, { uid: true });
console.log(`search ${flagged.join(',')}`);
console.log(`create ${(await client.mailboxCreate('Größe/Unterordner')).path}`);
const copied = await client.messageCopy(flagged.join(','), 'Größe', { uid: true });
console.log(`copy ${copied.destination} ${[...copied.uidMap.values()].join(',')}`);
const names = (await client.list()).map((m) => m.path).filter((p) => p.startsWith('Gr'));
console.log(`list ${names.join(' | ')}`);
console.log(`status ${(await client.status('Größe', { messages: true })).messages}`);
await client.logout();
