import { param } from '../../params.js';
import { defineDovecotEvent } from './operation.js';

/**
 * Mail storage events. Not in the event list the pack was seeded from, but sent by
 * real Dovecot 2.3.19 (recorded exporter bodies, issue 15): the recording is the truth.
 */
export const mail_user_session_finished = defineDovecotEvent({
  name: 'mail_user_session_finished',
  category: 'storage',
  level: 'info',
  description:
    "A mail user's session ended (the imap/pop3/lmtp process let go of the user); resource usage of the session. "
    + 'Dovecot categories: storage, service:<name>, and the protocol (imap, ...).',
  params: {
    user: param.string('Full username.').optional(),
    utime: param.int('User CPU time used, in microseconds.').optional(),
    stime: param.int('System CPU time used, in microseconds.').optional(),
    minor_faults: param.int('Minor page faults.').optional(),
    major_faults: param.int('Major page faults.').optional(),
    vol_cs: param.int('Voluntary context switches.').optional(),
    invol_cs: param.int('Involuntary context switches.').optional(),
    rss: param.int('Resident set size, in bytes.').optional(),
    vsz: param.int('Virtual memory size, in bytes.').optional(),
    rchar: param.int('Bytes read (all I/O, cache included).').optional(),
    wchar: param.int('Bytes written (all I/O, cache included).').optional(),
    syscr: param.int('Read syscalls.').optional(),
    syscw: param.int('Write syscalls.').optional(),
  },
});

export const mailEvents = [mail_user_session_finished] as const;
