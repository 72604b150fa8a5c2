export { type SlackPlatform, type SlackStartOptions, startSlack } from "./slack-platform.ts";
