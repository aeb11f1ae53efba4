/** What the broker commands (pub, sub, events, topics) load: client, consumer and input helpers, without the server side. */
export {openBrokerClient, BrokerClient} from './client.js';
export {consume, type ConsumeEvent, type ConsumeOptions} from './consumer.js';
export {checkName, readPublishData} from './input.js';
export {describeEvent, type ClusterEvent} from './cluster-events.js';
export {EVENTS_TOPIC, type BrokerMessage, type GroupInfo, type TopicInfo} from './types.js';
