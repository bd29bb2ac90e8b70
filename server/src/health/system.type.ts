import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Facts about the running API node' })
export class ServerInfo {
  @Field({ description: 'Latchkey version' })
  version!: string;

  @Field({ description: 'Server time, ISO 8601' })
  time!: string;

  @Field({ description: 'Whether MongoDB and Redis are reachable from this node' })
  ready!: boolean;
}
