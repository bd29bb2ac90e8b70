import type { Request, Response } from 'express';
import type { Logger } from '../infra/logger';
import type { AppServices } from '../app-services';
import type { Principal, RequestMeta } from '../access/principal';

export interface GraphQLContext extends RequestMeta {
  principal: Principal | null;
  services: AppServices;
  logger: Logger;
  /** Present on HTTP requests (absent on websocket operations); used for cookies. */
  res?: Response;
  req?: Request;
}
