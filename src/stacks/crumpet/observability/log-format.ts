import type { LogFormat } from '../../../observability/index.ts';

/** The JSON log format of every Crumpet service (spec section 7.2). */
export const LOG_FORMAT: LogFormat = {
  requestIdField: 'x-req-id',
  clientIpFields: ['client_ip'],
  redacted: 'redacted',
  maskedOctets: 'x.x',
};
