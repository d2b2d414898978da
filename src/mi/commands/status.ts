import type { IdentifierState, StatusRegistry } from '../../runtime/status/registry.js';
import { STATUS_SLOT } from '../../runtime/status.js';
import { defineCommand, type MiCallContext, type MiCommand } from '../../runtime/mi/command.js';
import { ctime } from '../ctime.js';
import { RPC_ERROR, RpcError } from '../jsonrpc.js';

function registry(ctx: MiCallContext): StatusRegistry {
  const status = ctx.slots.get(STATUS_SLOT);
  if (status === undefined) throw new RpcError(RPC_ERROR.UNAVAILABLE, 'No status/report registry in this daemon');
  return status;
}

function identifierStatus(state: IdentifierState) {
  return { Name: state.name, Readiness: state.status > 0, Status: state.status, ...(state.details !== '' ? { Details: state.details } : {}) };
}

function groupStatus(status: StatusRegistry, group: string) {
  return { Name: group, Identifiers: status.identifiers(group).map(identifierStatus) };
}

function groupReports(status: StatusRegistry, group: string, identifier: string | undefined) {
  const states = identifier === undefined ? status.identifiers(group) : [status.get(group, identifier)];
  return {
    Name: group,
    Identifiers: states.map((state) => ({
      Name: state.name,
      Reports: state.reports.map((report) => ({ Timestamp: report.timestamp, Date: ctime(new Date(report.timestamp * 1000)), Log: report.log })),
    })),
  };
}

const srGetStatus = defineCommand({
  name: 'sr_get_status',
  aliases: ['status_report:get'],
  description: 'The status of one identifier of a group (default `main`); identifier "all" aggregates the group.',
  params: [
    { name: 'group', type: 'string', required: true, description: 'Group name, e.g. core.' },
    { name: 'identifier', type: 'string', description: 'Identifier in the group; default main; "all" for the aggregate.' },
  ],
  example: { params: { group: 'core' }, result: { Readiness: true, Status: 1, Details: 'running' } },
  handler: ({ group, identifier }, ctx) => {
    const status = registry(ctx);
    if (identifier === 'all') {
      const aggregate = status.aggregate(group);
      return { Readiness: aggregate > 0, Status: aggregate, Details: 'aggregated' };
    }
    const state = status.get(group, identifier ?? 'main');
    return { Readiness: state.status > 0, Status: state.status, Details: state.details };
  },
});

const srListStatus = defineCommand({
  name: 'sr_list_status',
  aliases: ['status_report:status'],
  description: 'The status of every identifier, of one group or of all groups.',
  params: [{ name: 'group', type: 'string', description: 'Only this group.' }],
  example: { result: [{ Name: 'core', Identifiers: [{ Name: 'main', Readiness: true, Status: 1, Details: 'running' }] }] },
  handler: ({ group }, ctx) => {
    const status = registry(ctx);
    return group !== undefined ? groupStatus(status, group) : status.groups().map((name) => groupStatus(status, name));
  },
});

const srListReports = defineCommand({
  name: 'sr_list_reports',
  aliases: ['status_report:reports'],
  description: 'The timestamped reports of one identifier, one group or every group.',
  params: [
    { name: 'group', type: 'string', description: 'Only this group.' },
    { name: 'identifier', type: 'string', description: 'Only this identifier (needs `group`).' },
  ],
  example: {
    params: { group: 'core' },
    result: { Name: 'core', Identifiers: [{ Name: 'main', Reports: [{ Timestamp: 1795324906, Date: 'Sun Nov 22 05:21:46 2026', Log: 'started' }] }] },
  },
  handler: ({ group, identifier }, ctx) => {
    const status = registry(ctx);
    if (group !== undefined) return groupReports(status, group, identifier);
    if (identifier !== undefined) throw new RpcError(RPC_ERROR.INVALID_PARAMS, 'Invalid params: "identifier" needs "group"');
    return status.groups().map((name) => groupReports(status, name, undefined));
  },
});

const srListIdentifiers = defineCommand({
  name: 'sr_list_identifiers',
  aliases: ['status_report:identifiers'],
  description: 'The identifiers of one group or of every group.',
  params: [{ name: 'group', type: 'string', description: 'Only this group.' }],
  example: { result: [{ Group: 'core', Identifiers: ['main'] }] },
  handler: ({ group }, ctx) => {
    const status = registry(ctx);
    const groups = group !== undefined ? [group] : status.groups();
    return groups.map((name) => ({ Group: name, Identifiers: status.identifiers(name).map((state) => state.name) }));
  },
});

/** The status/report commands, with OpenSIPS's output shapes (docs/mi.md). */
export function statusCommands(): MiCommand[] {
  return [srGetStatus, srListStatus, srListReports, srListIdentifiers];
}
