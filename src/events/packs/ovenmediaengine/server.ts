import { param } from '../../params.js';
import { appParams, defineOmeEvent, SINCE_0_18_1_2 } from './define.js';

/** ServerEvent, HostEvent and AppEvent: the server, virtual host and application lifecycles. */

export const ServerStarted = defineOmeEvent({
  name: 'ServerStarted',
  category: 'ServerEvent',
  level: 'info',
  description: 'The server started. The snapshot holds the server configuration.',
  params: {
    serverName: param.string('The server name.'),
    serverVersion: param.string('The server version.'),
  },
  snapshot: true,
  summary: 'Server started. Name: {serverName}, Version: {serverVersion}',
});

export const InternalQueueCongestion = defineOmeEvent({
  name: 'InternalQueueCongestion',
  category: 'ServerEvent',
  level: 'info',
  description: `An internal queue is congested. ${SINCE_0_18_1_2}`,
  params: {
    queue: param.string('The congested queue: its name and state as OvenMediaEngine reports them.'),
  },
  summary: 'Internal queue congested. Queue: {queue}',
});

const hostParams = {
  vhost: param.string('The virtual host name, e.g. default.'),
  distribution: param.string('The distribution name of the virtual host.'),
};

export const HostCreated = defineOmeEvent({
  name: 'HostCreated',
  category: 'HostEvent',
  level: 'info',
  description: 'A virtual host was created. The snapshot holds the virtual host details.',
  params: hostParams,
  snapshot: true,
  summary: 'Host created. Name: {vhost}, Distribution: {distribution}',
});

export const HostDeleted = defineOmeEvent({
  name: 'HostDeleted',
  category: 'HostEvent',
  level: 'info',
  description: 'A virtual host was deleted.',
  params: hostParams,
  summary: 'Host deleted. Name: {vhost}, Distribution: {distribution}',
});

export const AppCreated = defineOmeEvent({
  name: 'AppCreated',
  category: 'AppEvent',
  level: 'info',
  description: 'An application was created. The snapshot holds the application details.',
  params: appParams,
  snapshot: true,
  summary: 'App created. Name: {app}',
});

export const AppDeleted = defineOmeEvent({
  name: 'AppDeleted',
  category: 'AppEvent',
  level: 'info',
  description: 'An application was deleted.',
  params: appParams,
  summary: 'App deleted. Name: {app}',
});

export const serverEvents = [
  ServerStarted,
  InternalQueueCongestion,
  HostCreated,
  HostDeleted,
  AppCreated,
  AppDeleted,
] as const;
