import { Query, Resolver } from 'type-graphql';
import type { HealthService } from './health.service';
import { ServerInfo } from './system.type';

@Resolver()
export class SystemResolver {
  constructor(
    private readonly version: string,
    private readonly health: Pick<HealthService, 'readiness'>,
  ) {}

  @Query(() => ServerInfo, { description: 'Version and readiness of this API node; needs no credentials' })
  serverInfo(): ServerInfo {
    return { version: this.version, time: new Date().toISOString(), ready: this.health.readiness().ready };
  }
}
