import { createInterface } from "node:readline/promises";
import type { CommandRouter } from "../../command-kit/router.ts";
import type { Message } from "../../core/message.ts";
import { plural } from "../../core/text.ts";
import type { Services } from "../../services.ts";
import type { SendMessage } from "../contract.ts";
import { consoleChannels, consoleInvoker } from "./console-channel.ts";
import { renderText } from "./render-text.ts";

/**
 * The embedded default platform: the same slash commands as in chat, typed at a prompt.
 * Scheduled digests and topic alerts print here as they fire.
 */
export class ConsolePlatform {
  constructor(
    private readonly router: CommandRouter,
    private readonly services: Services,
    private readonly output: NodeJS.WritableStream = process.stdout,
  ) {}

  /** Runs one command line and returns its answer as text (`--once`, and each prompt line). */
  async answer(line: string): Promise<string> {
    const trimmed = line.trim();
    // Plain words at the prompt are a search: the most common thing anyone types.
    const commandLine = trimmed.startsWith("/") ? trimmed : `/papers search ${trimmed}`;
    const message = await this.router.runLine(commandLine, {
      invoker: consoleInvoker,
      channels: consoleChannels,
      services: this.services,
    });
    return renderText(message);
  }

  /** Digests to `console` and alerts to `console:user:you` both print on this terminal. */
  readonly send: SendMessage = async (targetKey: string, message: Message) => {
    const heading = targetKey === "console" ? "── #console ──" : "── direct message ──";
    this.output.write(`\n${heading}\n${renderText(message)}\n\n`);
    return { messageId: `console-${Date.now()}` };
  };

  /** The interactive prompt; resolves when the user types `exit` or closes input. */
  async repl(input: NodeJS.ReadableStream = process.stdin): Promise<void> {
    const prompt = createInterface({
      input,
      output: this.output,
      terminal: Boolean((input as { isTTY?: boolean }).isTTY),
    });
    this.output.write(
      `paper-picks on the console: ${plural(this.services.catalog.current.papers.length, "paper")}. ` +
        "Type /papers help, a search such as kv cache, or exit.\n",
    );
    // Piped input ends while a command is still being answered: readline has closed by then, and
    // prompting on a closed interface throws (Node 24), so the prompt is shown only while input is open.
    // The lines already read are still answered, in order.
    let inputOpen = true;
    prompt.once("close", () => {
      inputOpen = false;
    });
    const showPrompt = () => {
      if (inputOpen) prompt.prompt();
    };
    prompt.setPrompt("paper-picks> ");
    showPrompt();
    for await (const line of prompt) {
      const trimmed = line.trim();
      if (trimmed === "exit" || trimmed === "quit") break;
      if (trimmed) this.output.write(`${await this.answer(trimmed)}\n`);
      showPrompt();
    }
    prompt.close();
  }
}
