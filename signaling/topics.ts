// Topic membership: the only shared state of the relay, holding live members and nothing else.
import { drawDistinct } from './sample.js';

/** What joining a topic did. */
export type JoinResult = 'joined' | 'already-member' | 'topic-full';

/**
 * Each topic's members with a per-topic cap, and an index of the peer id each member declared in
 * it, for addressed delivery. Empty topics are deleted at once.
 */
export interface TopicRegistry<Member> {
  /** `peer`: the opaque id the member speaks as in this topic (a second join may set or change it). */
  join(topic: string, member: Member, peer?: string): JoinResult;
  leave(topic: string, member: Member): void;
  /** Live members of a topic (0 when the topic does not exist). */
  size(topic: string): number;
  /**
   * Up to `count` members drawn at random, distinct, never `except`: all of them (but `except`) when
   * that many or fewer. Costs O(count), however big the topic.
   */
  sample(topic: string, count: number, except: Member | null, random: () => number): Member[];
  /** Members of a topic that declared `peer` (usually one; empty when none did). */
  addressed(topic: string, peer: string): ReadonlySet<Member>;
  /** Number of topics with at least one member; exposed for tests and logs. */
  readonly topicCount: number;
}

/** One topic's members, and who declared which peer id. */
interface Topic<Member> {
  /** The members in no particular order (a leaver's place goes to the last), so a sample can pick by index. */
  readonly list: Member[];
  /** Each member's index in `list`. */
  readonly slot: Map<Member, number>;
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
      if (topic?.slot.has(member)) {
        declarePeer(topic, member, peer);
        return 'already-member';
      }
      if (topic !== undefined && topic.list.length >= maxMembersPerTopic) return 'topic-full';
      if (topic === undefined) {
        topic = { list: [], slot: new Map(), peerOf: new Map(), byPeer: new Map() };
        topics.set(topicId, topic);
      }
      topic.slot.set(member, topic.list.length);
      topic.list.push(member);
      declarePeer(topic, member, peer);
      return 'joined';
    },
    leave(topicId, member) {
      const topic = topics.get(topicId);
      const at = topic?.slot.get(member);
      if (topic === undefined || at === undefined) return;
      forgetPeer(topic, member);
      topic.slot.delete(member);
      const last = topic.list.pop();
      if (last !== undefined && last !== member) {
        topic.list[at] = last;
        topic.slot.set(last, at);
      }
      if (topic.list.length === 0) topics.delete(topicId);
    },
    size(topicId) {
      return topics.get(topicId)?.list.length ?? 0;
    },
    sample(topicId, count, except, random) {
      const topic = topics.get(topicId);
      if (topic === undefined) return [];
      const { list } = topic;
      // Candidates are the list without `except`: index i stands for list[i], or list[i + 1] from its place on.
      const skipped = except === null ? undefined : topic.slot.get(except);
      const candidates = skipped === undefined ? list.length : list.length - 1;
      const memberAt = (i: number): Member[] => {
        const member = list[skipped !== undefined && i >= skipped ? i + 1 : i];
        return member === undefined ? [] : [member];
      };
      return drawDistinct(candidates, count, random).flatMap(memberAt);
    },
    addressed(topicId, peer) {
      return topics.get(topicId)?.byPeer.get(peer) ?? noMembers;
    },
    get topicCount() {
      return topics.size;
    },
  };
}
