// Sends interaction events as JSON to a Kafka topic with kafkajs, a client the engine did not
// write: node kafka-producer.mjs BROKER TOPIC USER_PREFIX USERS EVENTS_PER_USER
// Each user rates EVENTS_PER_USER items (4.0), one second apart in event time, keyed by user.
// Prints "sent N" when the broker acknowledged them all (acks=-1, idempotent); exits 1 on error.
import { Kafka, logLevel } from 'kafkajs';

const [broker, topic, prefix, users, perUser] = process.argv.slice(2);
const kafka = new Kafka({ clientId: 'node-kafkajs', brokers: [broker], logLevel: logLevel.WARN });
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
const start = Date.now() - 3_600_000;

try {
  await producer.connect();
  const messages = [];
  for (let u = 0; u < Number(users); u++) {
    for (let e = 0; e < Number(perUser); e++) {
      const event = {
        userId: `${prefix}${u}`,
        itemId: `i${e}`,
        eventType: 'RATING',
        value: 4.0,
        // Half the events give their time as an ISO-8601 instant, half as epoch milliseconds.
        eventTimeMillis: e % 2 === 0 ? start + e * 1000 : new Date(start + e * 1000).toISOString(),
      };
      messages.push({ key: event.userId, value: JSON.stringify(event) });
    }
  }
  await producer.send({ topic, acks: -1, messages });
  console.log(`sent ${messages.length}`);
  await producer.disconnect();
} catch (e) {
  console.error(`kafka-producer: ${e.stack ?? e}`);
  process.exit(1);
}
