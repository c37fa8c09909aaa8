// Topic membership: the only shared state of the relay, holding live members and nothing else.

/** What joining a topic did. */
export type JoinResult = 'joined' | 'already-member' | 'topic-full';

/** `Map<topic, Set<member>>` with a per-topic cap; empty topics are deleted at once. */
export interface TopicRegistry<Member> {
  join(topic: string, member: Member): JoinResult;
  leave(topic: string, member: Member): void;
  /** Live members of a topic (empty when the topic does not exist). */
  members(topic: string): ReadonlySet<Member>;
  /** Number of topics with at least one member; exposed for tests and logs. */
  readonly topicCount: number;
}

/** An empty set shared by lookups of topics that do not exist, so they allocate nothing. */
const noMembers: ReadonlySet<never> = new Set<never>();

/** Builds a registry capped at `maxMembersPerTopic` members in each topic. */
export function createTopicRegistry<Member>(maxMembersPerTopic: number): TopicRegistry<Member> {
  const topics = new Map<string, Set<Member>>();
  return {
    join(topic, member) {
      const existing = topics.get(topic);
      if (existing?.has(member)) return 'already-member';
      if (existing !== undefined && existing.size >= maxMembersPerTopic) return 'topic-full';
      if (existing === undefined) topics.set(topic, new Set([member]));
      else existing.add(member);
      return 'joined';
    },
    leave(topic, member) {
      const existing = topics.get(topic);
      if (existing === undefined) return;
      existing.delete(member);
      if (existing.size === 0) topics.delete(topic);
    },
    members(topic) {
      return topics.get(topic) ?? noMembers;
    },
    get topicCount() {
      return topics.size;
    },
  };
}
