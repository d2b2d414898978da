import { defineEvent } from '../define.js';
import { param } from '../params.js';

/**
 * The `core` pack: OpenSIPS's seven core events with its exact param names,
 * plus Herald's own events. See docs/core-events.md for when each fires.
 */
const PACK = 'core';

export const E_CORE_THRESHOLD = defineEvent({
  name: 'E_CORE_THRESHOLD',
  pack: PACK,
  category: 'core',
  level: 'warning',
  description: 'An operation took longer than the threshold configured for its source.',
  params: {
    source: param.string('The source of the event: event_loop, dns, http_server, http_client, tcp_write, store, or an application name.'),
    time: param.int('The time spent by the operation, in microseconds.'),
    extra: param.string('Extra information depending on the source: the DNS name, the request line, the SQL text (cut).'),
  },
  summary: '{source} took {time} µs: {extra}',
});

export const E_CORE_PKG_THRESHOLD = defineEvent({
  name: 'E_CORE_PKG_THRESHOLD',
  pack: PACK,
  category: 'core',
  level: 'warning',
  description: 'Private memory (the V8 heap) usage went above, or came back below, the configured threshold.',
  params: {
    usage: param.int('The percentage of private memory in use, between the threshold and 100.'),
    threshold: param.int('The configured threshold, in percent.'),
    used: param.int('Private memory in use, in bytes.'),
    size: param.int('Total private memory (the V8 old-generation limit), in bytes.'),
    pid: param.int('The PID of the process that raises the event.'),
  },
  summary: 'heap usage {usage}% (threshold {threshold}%)',
});

export const E_CORE_SHM_THRESHOLD = defineEvent({
  name: 'E_CORE_SHM_THRESHOLD',
  pack: PACK,
  category: 'core',
  level: 'warning',
  description: 'Shared memory (the process RSS against the memory limit) usage went above, or came back below, the configured threshold.',
  params: {
    usage: param.int('The percentage of memory in use, between the threshold and 100.'),
    threshold: param.int('The configured threshold, in percent.'),
    used: param.int('Memory in use (RSS), in bytes.'),
    size: param.int('The memory limit (cgroup limit, else total memory), in bytes.'),
  },
  summary: 'memory usage {usage}% (threshold {threshold}%)',
});

export const E_CORE_PROC_AUTO_SCALE = defineEvent({
  name: 'E_CORE_PROC_AUTO_SCALE',
  pack: PACK,
  category: 'core',
  level: 'notice',
  description: 'A worker was started or stopped by the auto-scaling logic.',
  params: {
    group_type: param.string('The type/name of the scaling group.'),
    group_filter: param.string('The filter of the scaling group (usually the socket or interface).'),
    group_load: param.int('The load over the scaling group, in percent.'),
    scale: param.string('"up" or "down".'),
    process_id: param.int('The Herald-level id of the worker scaled up or down.'),
    pid: param.int('The OS-level PID of the process hosting the worker.'),
  },
  summary: 'scale {scale} {group_type} at {group_load}%',
});

export const E_CORE_TCP_DISCONNECT = defineEvent({
  name: 'E_CORE_TCP_DISCONNECT',
  pack: PACK,
  category: 'core',
  level: 'info',
  description: 'A TCP connection was terminated.',
  params: {
    src_ip: param.ip('The source IP of the TCP connection.'),
    src_port: param.port('The source port of the TCP connection.'),
    dst_ip: param.ip('The destination IP of the TCP connection.'),
    dst_port: param.port('The destination port of the TCP connection.'),
    proto: param.string('The protocol of the underlying connection: tcp, tls, ws, wss.'),
  },
  summary: '{proto} {src_ip}:{src_port} -> {dst_ip}:{dst_port} closed',
});

export const E_CORE_SR_STATUS_CHANGED = defineEvent({
  name: 'E_CORE_SR_STATUS_CHANGED',
  pack: PACK,
  category: 'core',
  level: 'notice',
  description: 'The status of a status/report identifier changed.',
  params: {
    group: param.string('The name of the SR group.'),
    identifier: param.string('The name of the SR identifier.'),
    status: param.int('The new status (<0 not ready, >0 ready).'),
    details: param.string('The details attached to the new status; absent when none was given (OpenSIPS sends it only then).').optional(),
    old_status: param.int('The old status.'),
  },
  summary: '{group}/{identifier} status {old_status} -> {status}: {details}',
});

export const E_CORE_LOG = defineEvent({
  name: 'E_CORE_LOG',
  pack: PACK,
  category: 'core',
  level: 'info',
  description: 'A log message was produced (when log_event_enabled is on). Every param is always present, empty when unknown.',
  params: {
    time: param.string('Time when the log message was produced (ISO 8601; `now` from text).').time(),
    pid: param.int('The PID of the process that produced the message.'),
    level: param.string('The log level of the message ("DBG", "INFO", "NOTICE", "WARN", "ERROR", "CRITICAL").'),
    module: param.string('The module that produced the message; empty when unknown.'),
    function: param.string('The function that produced the message; empty when unknown.'),
    prefix: param.string('The configured log prefix; empty when not configured.'),
    message: param.string('The log message.'),
  },
  summary: '{level} {module}: {message}',
});

export const E_FLATSTORE_ROTATION = defineEvent({
  name: 'E_FLATSTORE_ROTATION',
  pack: PACK,
  category: 'core',
  level: 'info',
  description: 'A flatstore or jsonl file was rotated.',
  params: {
    timestamp: param.timestamp('When the rotation happened (Unix time, seconds).'),
    reason: param.string('Why: count, size, period or command.'),
    filename: param.string('The file written from now on.'),
    old_filename: param.string('The file that was closed.'),
  },
  summary: 'rotated {old_filename} -> {filename} ({reason})',
});

export const E_HERALD_SPOOL_DROPPED = defineEvent({
  name: 'E_HERALD_SPOOL_DROPPED',
  pack: PACK,
  category: 'core',
  level: 'warning',
  description: 'An at-least-once subscriber\'s disk spool dropped events: it was full (spool_full refuse or drop_oldest), could not be written, or held events no longer in the catalogue.',
  params: {
    socket: param.string('The subscriber socket.'),
    dropped: param.int('Events dropped this time.'),
    reason: param.string('full, write_error or unknown_event.'),
    spool_bytes: param.int('Unacknowledged bytes in the spool after the drop.'),
  },
  summary: 'spool of {socket} dropped {dropped} event(s) ({reason})',
});

export const E_HERALD_KERNEL_DROPS = defineEvent({
  name: 'E_HERALD_KERNEL_DROPS',
  pack: PACK,
  category: 'core',
  level: 'warning',
  description: 'The kernel dropped datagrams meant for a UDP collector (HEP, raw SIP, OpenSIPS datagrams), mostly because its receive buffer was full: they never reached Herald. Sampled every `kernel_drops_interval_ms` of the collector, raised only when the counter grew. See docs/trace.md "Tuning the collector".',
  params: {
    listener: param.string('The collector: hep, sip or opensips.'),
    proto: param.string('The transport, udp.'),
    address: param.string('The local address the socket is bound to.'),
    port: param.int('The local port.'),
    drops: param.int('Datagrams dropped by the kernel since the socket was opened (the drops column of /proc/net/udp).'),
    drops_since_last: param.int('Datagrams dropped since the previous sample.'),
    rx_queue: param.int('Bytes waiting in the socket\'s receive queue at the sample.'),
  },
  summary: 'kernel dropped {drops_since_last} datagram(s) for {listener} {proto} {address}:{port} ({drops} in all, {rx_queue} bytes queued)',
});

export const corePack = [
  E_CORE_THRESHOLD,
  E_CORE_PKG_THRESHOLD,
  E_CORE_SHM_THRESHOLD,
  E_CORE_PROC_AUTO_SCALE,
  E_CORE_TCP_DISCONNECT,
  E_CORE_SR_STATUS_CHANGED,
  E_CORE_LOG,
  E_FLATSTORE_ROTATION,
  E_HERALD_SPOOL_DROPPED,
  E_HERALD_KERNEL_DROPS,
] as const;
