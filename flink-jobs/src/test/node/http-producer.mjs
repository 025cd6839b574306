// Posts interaction events to the serving process's POST /events with Node's own fetch:
// node http-producer.mjs URL USER_PREFIX USERS EVENTS_PER_USER
// The first user's events go one request each, the others' as one batch per user. Prints
// "accepted N" when every request was answered 202; exits 1 with the answer otherwise.
const [url, prefix, users, perUser] = process.argv.slice(2);
const start = Date.now() - 3_600_000;

function event(u, e) {
  return { userId: `${prefix}${u}`, itemId: `i${e}`, eventType: 'RATING', value: 3,
    eventTimeMillis: start + e * 1000 };
}

async function post(body) {
  const answer = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await answer.text();
  if (answer.status !== 202) {
    throw new Error(`${answer.status} ${text}`);
  }
  return JSON.parse(text).accepted;
}

try {
  let accepted = 0;
  for (let u = 0; u < Number(users); u++) {
    const events = Array.from({ length: Number(perUser) }, (_, e) => event(u, e));
    if (u === 0) {
      for (const one of events) accepted += await post(one);
    } else {
      accepted += await post(events);
    }
  }
  console.log(`accepted ${accepted}`);
} catch (e) {
  console.error(`http-producer: ${e.message ?? e}`);
  process.exit(1);
}
