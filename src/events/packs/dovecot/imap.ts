import { param } from '../../params.js';
import { defineDovecotEvent } from './operation.js';

/** IMAP events, raised by the imap process. Dovecot category `imap` (plus `service:imap`). */
export const imap_command_finished = defineDovecotEvent({
  name: 'imap_command_finished',
  category: 'imap',
  level: 'info',
  description:
    'An IMAP command finished. Useful to track command usage, debug sessions and spot broken clients. '
    + 'Not sent for pre-login commands. Dovecot categories: imap, service:imap.',
  params: {
    tag: param.string('The command tag.'),
    name: param.string('The command name.'),
    args: param.string("The command's full parameters."),
    human_args: param.string("The command's parameters as more human-readable output."),
    tagged_reply_state: param.string('OK, NO or BAD.'),
    tagged_reply: param.string('The full tagged reply, e.g. "OK SELECT finished.".'),
    last_run_time: param.timestamp('When the command last ran (a "mailbox sync" that can take some time may follow).'),
    running_usecs: param.duration('Time the command itself spent running, in microseconds.'),
    lock_wait_usecs: param.duration('Time the command itself spent waiting for locks, in microseconds.'),
    bytes_in: param.int('Client input used by the command, in bytes.'),
    bytes_out: param.int('Output the command sent to the client, in bytes.'),
  },
});

export const imapEvents = [imap_command_finished] as const;
