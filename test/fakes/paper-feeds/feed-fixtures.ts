/** Bodies in the shapes the real sources send, built from a few fields so each test states what matters. */

export interface FeedPaper {
  readonly id: string;
  readonly title: string;
  readonly abstract: string;
  readonly authors?: readonly string[];
  readonly categories?: readonly string[];
  readonly published?: string;
  readonly updated?: string;
  /** arXiv RSS: "new" (the default), "cross", "replace" or "replace-cross". */
  readonly announceType?: string;
  readonly upvotes?: number;
  /** arXiv's `comment`, `journal_ref` and `doi` (RSS: `journal_reference`, `DOI`; it has no comment). */
  readonly comment?: string;
  readonly journalRef?: string;
  readonly doi?: string;
  /** Hugging Face's `ai_summary`, `githubRepo`, `githubStars` and `projectPage`, on the `paper` object. */
  readonly aiSummary?: string;
  readonly githubRepo?: string;
  readonly githubStars?: number;
  readonly projectPage?: string;
}

const ARXIV_NS = 'xmlns:arxiv="http://arxiv.org/schemas/atom"';

const escapeXml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** export.arxiv.org/api/query: titles and summaries wrapped and indented as arXiv sends them. */
export function arxivAtom(papers: readonly FeedPaper[]): string {
  const entries = papers.map(
    (paper) => `  <entry>
    <id>http://arxiv.org/abs/${paper.id}</id>
    <updated>${paper.updated ?? "2025-07-14T17:59:59Z"}</updated>
    <published>${paper.published ?? "2025-07-12T10:00:00Z"}</published>
    <title>${escapeXml(paper.title).replace(" ", "\n      ")}</title>
    <summary>  ${escapeXml(paper.abstract).replace(". ", ".\n  ")}
    </summary>
${(paper.authors ?? []).map((name) => `    <author>\n      <name>${escapeXml(name)}</name>\n    </author>`).join("\n")}
    <link href="http://arxiv.org/abs/${paper.id}" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/${paper.id}" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="${paper.categories?.[0] ?? "cs.CL"}" scheme="http://arxiv.org/schemas/atom"/>
${(paper.categories ?? ["cs.CL"]).map((term) => `    <category term="${term}" scheme="http://arxiv.org/schemas/atom"/>`).join("\n")}
${paper.comment === undefined ? "" : `    <arxiv:comment ${ARXIV_NS}>${escapeXml(paper.comment)}</arxiv:comment>`}
${paper.journalRef === undefined ? "" : `    <arxiv:journal_ref ${ARXIV_NS}>${escapeXml(paper.journalRef)}</arxiv:journal_ref>`}
${paper.doi === undefined ? "" : `    <link title="doi" href="http://dx.doi.org/${escapeXml(paper.doi)}" rel="related"/>\n    <arxiv:doi ${ARXIV_NS}>${escapeXml(paper.doi)}</arxiv:doi>`}
  </entry>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">ArXiv Query: search_query=cat:cs.CL</title>
  <id>http://arxiv.org/api/cHxbiOdZaP56ODnBPIenZhzg5f8</id>
  <updated>2025-07-14T00:00:00-04:00</updated>
${entries.join("\n")}
</feed>
`;
}

/** rss.arxiv.org/rss/<category>: RSS 2.0, the id and announce type before the abstract. */
export function arxivRss(papers: readonly FeedPaper[]): string {
  const items = papers.map(
    (paper) => `<item>
<title>${escapeXml(paper.title)}</title>
<link>https://arxiv.org/abs/${paper.id.replace(/v\d+$/, "")}</link>
<description>arXiv:${paper.id} Announce Type: ${paper.announceType ?? "new"} 
Abstract: ${escapeXml(paper.abstract)}</description>
<guid isPermaLink="false">oai:arXiv.org:${paper.id}</guid>
${(paper.categories ?? ["cs.CL"]).map((term) => `<category>${term}</category>`).join("\n")}
<pubDate>Mon, 14 Jul 2025 00:00:00 -0400</pubDate>
<arxiv:announce_type>${paper.announceType ?? "new"}</arxiv:announce_type>
<dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>
<dc:creator>${escapeXml((paper.authors ?? []).join(", "))}</dc:creator>
${paper.doi === undefined ? "" : `<arxiv:DOI>${escapeXml(paper.doi)}</arxiv:DOI>`}
${paper.journalRef === undefined ? "" : `<arxiv:journal_reference>${escapeXml(paper.journalRef)}</arxiv:journal_reference>`}
</item>`,
  );
  return `<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">
<channel>
<title>cs.CL updates on arXiv.org</title>
<link>http://rss.arxiv.org/rss/cs.CL</link>
<description>cs.CL updates on the arXiv.org e-print archive.</description>
${items.join("\n")}
</channel>
</rss>
`;
}

/**
 * The older arXiv RSS 1.0 (RDF) listings: the id and primary category at the end of the title, " UPDATED"
 * there for a replacement, HTML descriptions and creators.
 */
export function arxivRdf(papers: readonly FeedPaper[]): string {
  const items = papers.map((paper) => {
    const id = paper.id.replace(/v\d+$/, "");
    const updated = paper.announceType?.startsWith("replace") ? " UPDATED" : "";
    return `<item rdf:about="http://arxiv.org/abs/${id}">
<title>${escapeXml(paper.title)}. (arXiv:${paper.id} [${paper.categories?.[0] ?? "cs.CL"}]${updated})</title>
<link>http://arxiv.org/abs/${id}</link>
<description rdf:parseType="Literal">${escapeXml(`<p>${escapeXml(paper.abstract)}</p>`)}</description>
<dc:creator>${escapeXml((paper.authors ?? []).map((name) => `<a href="http://arxiv.org/find/cs/1/au:+x/0/1/0/all/0/1">${escapeXml(name)}</a>`).join(", "))}</dc:creator>
<dc:date>2021-01-04T20:30:00-05:00</dc:date>
</item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://arxiv.org/">
<title>cs.CL updates on arXiv.org</title>
</channel>
${items.join("\n")}
</rdf:RDF>
`;
}

/** huggingface.co/api/daily_papers: the paper under `paper`, the featured day as the entry's publishedAt. */
export function hfDailyPapers(papers: readonly FeedPaper[], featuredDay = "2025-07-14"): string {
  return JSON.stringify(
    papers.map((paper) => ({
      paper: {
        id: paper.id,
        title: paper.title,
        summary: paper.abstract,
        authors: (paper.authors ?? []).map((name) => ({ _id: "x", name, hidden: false })),
        publishedAt: paper.published ?? "2025-07-12T10:00:00.000Z",
        upvotes: paper.upvotes ?? 0,
        ...(paper.aiSummary === undefined ? {} : { ai_summary: paper.aiSummary }),
        ...(paper.githubRepo === undefined ? {} : { githubRepo: paper.githubRepo }),
        ...(paper.githubStars === undefined ? {} : { githubStars: paper.githubStars }),
        ...(paper.projectPage === undefined ? {} : { projectPage: paper.projectPage }),
      },
      publishedAt: `${featuredDay}T00:00:00.000Z`,
      title: paper.title,
      summary: paper.abstract,
      numComments: 2,
    })),
  );
}

/** Our own record format, as a JSON array or as JSON Lines. */
export function ownRecords(papers: readonly FeedPaper[], as: "json" | "jsonl"): string {
  const records = papers.map((paper) => ({
    id: paper.id,
    title: paper.title,
    abstract: paper.abstract,
    authors: paper.authors ?? [],
    ...(paper.upvotes === undefined ? {} : { upvotes: paper.upvotes }),
    ...(paper.categories === undefined ? {} : { categories: paper.categories }),
    ...(paper.published === undefined ? {} : { publishedAt: paper.published }),
    ...(paper.updated === undefined ? {} : { updatedAt: paper.updated }),
  }));
  return as === "json"
    ? JSON.stringify(records, null, 2)
    : records.map((record) => `${JSON.stringify(record)}\n`).join("");
}
