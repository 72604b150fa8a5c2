// Run by persistence.test.ts: makes changes, then dies by SIGKILL the moment the last write resolves,
// with no close() and no chance to flush anything.
import { defaultChannelSettings, openStore } from "../../src/store/index.ts";

const url = process.argv[2] ?? "";
const store = await openStore(url);
await store.channels.put(defaultChannelSettings({ platform: "discord", channelId: "1", setupBy: "admin" }));
await store.subscriptions.addTopic("discord:user:42", "speech recognition");
await store.ledger.record("discord:1", {
  localDate: "2025-03-04",
  paperIds: ["2403.00001", "2403.00002"],
  deliveredAt: "2025-03-04T09:00:00.000Z",
  kind: "digest",
});
await store.channels.update("discord:1", (settings) => ({ ...settings, time: "07:45" }));
process.stdout.write("written\n", () => process.kill(process.pid, "SIGKILL"));
