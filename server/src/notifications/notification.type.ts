import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../access/pagination';
import type { NotificationDoc } from './notification.model';

@ObjectType({ description: 'An in-app notification for the signed-in user (never carries a secret)' })
export class Notification {
  @Field(() => ID) id!: string;
  @Field({ description: 'key_expiring, key_expired, key_rotated, rotated_key_still_used or key_suspended' }) kind!: string;
  @Field(() => ID, { nullable: true }) keyId!: string | null;
  @Field() title!: string;
  @Field() body!: string;
  @Field(() => Date, { nullable: true }) readAt!: Date | null;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType()
export class NotificationConnection {
  @Field(() => [Notification], { description: 'Newest first' }) nodes!: Notification[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'Unread notifications of the user (all pages)' }) unreadCount!: number;
}

/** Stored documents and live messages (dates as JSON strings) alike. */
export function toNotification(d: Pick<NotificationDoc, '_id' | 'kind' | 'keyId' | 'title' | 'body'> & { readAt: Date | string | null; createdAt: Date | string }): Notification {
  return {
    id: d._id,
    kind: d.kind,
    keyId: d.keyId,
    title: d.title,
    body: d.body,
    readAt: d.readAt ? new Date(d.readAt) : null,
    createdAt: new Date(d.createdAt),
  };
}
