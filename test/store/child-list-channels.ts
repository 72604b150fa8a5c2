// Run by corrupt-records.test.ts in its own process, so the test can read what the logger wrote.
import { openStore } from "../../src/store/index.ts";

const url = process.argv[2] ?? "";
const store = await openStore(url);
const channels = await store.channels.list();
process.stdout.write(`${channels.map((channel) => channel.target).join(",")}\n`);
await store.close();
