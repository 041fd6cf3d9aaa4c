"""Site search: an index of every article, written into the output by the build.

The index is static files beside the pages (JSON), read by the search page's
script (`templates/search.js`) in small pieces, so search works on any static
host and without a network.

**Tokens.** Chinese has no spaces, and a word cut by a segmenter is not found
inside a longer word (网格 in 网格员). So every run of Han characters is indexed
as its overlapping character pairs (网格员 → 网格 格员) plus its last character
alone; any two adjacent characters of the text are then a key of the index. A
query of one character takes every key that starts with it; of two, its key;
of three or more, the articles holding all its pairs, kept only if the query
stands in them whole (the script checks each candidate's text). Other words
(Latin letters, digits) are indexed whole, lower-cased, and a query word finds
every word it begins (inspector → inspectors). Text is NFKC-normalised first
(full-width ５Ｇ is 5g). Every query term must be found; results are newest
first, the order of the editions, pages and articles.

**Files** of a bundle: `index.json` (format, number of articles, of shards,
articles per chunk), `s/N.json` (shard N: the keys whose first character's code
point is N modulo the shard count, each with its article numbers as gaps),
`d/K.json` (chunk K: each article's URL, headline, kicker, edition date, edition
URL, page, page URL, text and other searchable fields), and
`broadsheet-digest.txt`.

**Buckets.** A reader would load shards of one index of the whole archive. So the
index is split: each of the newest seven editions has its own bundle
(`2026-11-27/search/`), older editions are grouped by month for the newest
edition's year and the year before (`search/2026-10/`), and by year before that
(`search/2024/`). A build indexes only the buckets whose articles changed (a
digest of what is indexed, kept in each bundle as `broadsheet-digest.txt`), on
every core, and links the others from the previous output; the browser searches
the bundles newest first.

**Edits.** An edited article changes the files of its bundle that hold it: its
chunk, and the shards of the keys it gained or lost. So a bundle whose articles
kept their number and places is patched, those files alone written from the old
ones (`indexing._Bucket.patch`); else it is written whole, streamed chunk by
chunk, from what the indexer kept of each article (`kept.py`), tokenising only
the articles it had not seen.

The modules: `keys` (keys and query terms), `bundle` (buckets and the files), `postings` (a
bundle's postings while it is written: in memory, or spilled to a temporary file),
`kept` (the indexer's state in the build cache), `indexing` (the build's part).
"""

from .bundle import CHUNK, FOLDER, FORMAT, RECENT, Bucket, buckets, write_bundle
from .bundle import searched as _searched
from .indexing import DIGEST_FILE, Indexed, SearchInput, digest, edition_part, index_bundles, plan, settle
from .keys import _H, _PLAIN, _WORD, normal, plain_text, query_terms, tokens

__all__ = ["CHUNK", "DIGEST_FILE", "FOLDER", "FORMAT", "RECENT", "Bucket", "Indexed", "SearchInput", "_H", "_PLAIN",
           "_WORD", "_searched", "buckets", "digest", "edition_part", "index_bundles", "normal", "plain_text", "plan", "query_terms", "settle",
           "tokens", "write_bundle"]
