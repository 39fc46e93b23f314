// Sends one message through Mailstead's submission port with nodemailer, as a Node application would.
// Usage: node submit.mjs <port> <user> <password> <from> <to> <subject> [implicit-tls]
import nodemailer from 'nodemailer';

const [port, user, pass, from, to, subject, implicit] = process.argv.slice(2);
const transport = nodemailer.createTransport({
  host: '127.0.0.1',
  port: Number(port),
  secure: implicit === 'implicit-tls',
  requireTLS: true,
  auth: { user, pass },
  tls: { rejectUnauthorized: false },
});

try {
  const info = await transport.sendMail({ from, to, subject, text: `Sent by nodemailer to ${to}.` });
  console.log(`accepted ${info.accepted.join(',')}`);
  console.log(`response ${info.response}`);
} catch (error) {
  console.log(`refused ${error.responseCode ?? ''} ${error.response ?? error.message}`);
  process.exitCode = 2;
}
