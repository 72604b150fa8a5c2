// Run by open-store.test.ts in its own process: it changes the working directory, which a test
// worker thread cannot do, then opens a relative STORE_URL there and saves one channel.
import { defaultChannelSettings, openStore } from "../../src/store/index.ts";

const [dir = "", url = ""] = process.argv.slice(2);
process.chdir(dir);
const store = await openStore(url);
await store.channels.put(defaultChannelSettings({ platform: "discord", channelId: "1", setupBy: "admin" }));
await store.close();
