// Topic membership: the only shared state of the relay, holding live members and nothing else.

/** What joining a topic did. */
export type JoinResult = 'joined' | 'already-member' | 'topic-full';

/**
 * `Map<topic, Set<member>>` with a per-topic cap, and an index of the peer id each member declared in
 * it, for addressed delivery. Empty topics are deleted at once.
 */
export interface TopicRegistry<Member> {
  /** `peer`: the opaque id the member speaks as in this topic (a second join may set or change it). */
  join(topic: string, member: Member, peer?: string): JoinResult;
  leave(topic: string, member: Member): void;
  /** Live members of a topic (empty when the topic does not exist). */
  members(topic: string): ReadonlySet<Member>;
  /** Members of a topic that declared `peer` (usually one; empty when none did). */
  addressed(topic: string, peer: string): ReadonlySet<Member>;
  /** Number of topics with at least one member; exposed for tests and logs. */
  readonly topicCount: number;
}

/** One topic's members, and who declared which peer id. */
interface Topic<Member> {
  readonly members: Set<Member>;
  readonly peerOf: Map<Member, string>;
  readonly byPeer: Map<string, Set<Member>>;
}

/** An empty set shared by lookups of topics that do not exist, so they allocate nothing. */
const noMembers: ReadonlySet<never> = new Set<never>();

/** Builds a registry capped at `maxMembersPerTopic` members in each topic. */
export function createTopicRegistry<Member>(maxMembersPerTopic: number): TopicRegistry<Member> {
  const topics = new Map<string, Topic<Member>>();

  function forgetPeer(topic: Topic<Member>, member: Member): void {
    const peer = topic.peerOf.get(member);
    if (peer === undefined) return;
    topic.peerOf.delete(member);
    const holders = topic.byPeer.get(peer);
    holders?.delete(member);
    if (holders?.size === 0) topic.byPeer.delete(peer);
  }

  function declarePeer(topic: Topic<Member>, member: Member, peer: string | undefined): void {
    if (peer === undefined || topic.peerOf.get(member) === peer) return;
    forgetPeer(topic, member);
    topic.peerOf.set(member, peer);
    const holders = topic.byPeer.get(peer);
    if (holders === undefined) topic.byPeer.set(peer, new Set([member]));
    else holders.add(member);
  }

  return {
    join(topicId, member, peer) {
      let topic = topics.get(topicId);
      if (topic?.members.has(member)) {
        declarePeer(topic, member, peer);
        return 'already-member';
      }
      if (topic !== undefined && topic.members.size >= maxMembersPerTopic) return 'topic-full';
      if (topic === undefined) {
        topic = { members: new Set(), peerOf: new Map(), byPeer: new Map() };
        topics.set(topicId, topic);
      }
      topic.members.add(member);
      declarePeer(topic, member, peer);
      return 'joined';
    },
    leave(topicId, member) {
      const topic = topics.get(topicId);
      if (topic === undefined) return;
      forgetPeer(topic, member);
      topic.members.delete(member);
      if (topic.members.size === 0) topics.delete(topicId);
    },
    members(topicId) {
      return topics.get(topicId)?.members ?? noMembers;
    },
    addressed(topicId, peer) {
      return topics.get(topicId)?.byPeer.get(peer) ?? noMembers;
    },
    get topicCount() {
      return topics.size;
    },
  };
}
