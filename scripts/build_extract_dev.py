#!/usr/bin/env python3
"""Builds the statement-extraction development texts, tests/data/extract-dev/NN-slug.txt, from
the CoNLL-2002 Dutch NER data (ned.testa: De Morgen, 1 August 2000).

Usage (from the repository root; both arguments are optional):

    python3 scripts/build_extract_dev.py [../shared/data/conll2002-dutch/ned.testa] [tests/data/extract-dev]

ned.testa has one token per line (`word POS IOB-tag`), a blank line after each sentence and a
`-DOCSTART- -DOCSTART- O` line before each article. Two properties of the data shape this script:

- Within an article the sentences are **shuffled**, and the newspaper's record fields
  (`publicatiedatum`, `publicatie`, `editie`, `sectie`, `pagina`, `auteur`) and their values
  (the date, "De Morgen", the section, page number, author, initials, agency credit, dateline)
  are sentences of their own, scattered among the real ones.
- Some tokens are glued by the original conversion ("moedigerzijn", "naarBrussel").

So each selected article below comes with a reading order worked out by hand: a list of
paragraphs, each a list of sentence numbers (0-based, in file order within the article), and the
list of sentence numbers left out (the record fields and their values, and the odd duplicate
sentence). The script checks that every sentence of an article is placed or left out exactly once.
The words of the kept sentences are not changed, except the few glued tokens in TOKEN_FIXES.

Detokenisation (Dutch): no space before , . ; : ! ? ) ... or a closing quote; none after ( or an
opening quote; `/` is written without spaces. Straight double quotes alternate open/close within
a paragraph (a quote that starts a sentence always opens, one that ends it always closes).
Standalone single quotes do the same, except that a ' right after a word ending in s, x or z with
no other standalone ' later in the sentence is a possessive apostrophe ("Chávez' aanhang").
Tokens like 's, 't, '99 are ordinary words ("'s avonds" keeps its space before).

Each output file starts with header lines kennis reads (src/read.rs: url, title, date, lang):

    title <headline>
    date 2000-08-01
    lang nl

then a blank line and the paragraphs, separated by blank lines. The article's index in ned.testa
is not a kennis header; tests/data/extract-dev/README.md lists it. The output is deterministic:
running the script twice gives the same bytes. Earlier NN-*.txt files in the output folder that
this run does not write are removed.

Python 3 standard library only. Data: CoNLL-2002 shared task (Tjong Kim Sang 2002).
"""

import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "conll2002-dutch" / "ned.testa"
DEFAULT_OUT = ROOT / "tests" / "data" / "extract-dev"

# Glued tokens of the source, split where the words obviously meet.
TOKEN_FIXES = {
    "moedigerzijn": "moediger zijn",
    "naarBrussel": "naar Brussel",
    "voorpremier": "voor premier",
    "gestegenmet": "gestegen met",
    "uitmaar": "uit maar",
    "sloot'een": "sloot ' een",
    "24jaar": "24 jaar",
}

# (article index in ned.testa, paragraphs, sentences left out).
# Paragraph 0 is the headline. Left out are the record fields and their values (date, "De Morgen",
# section, page, author, initials, agency credit, dateline) unless noted otherwise.
ARTICLES = [
    # Durant criticises NMBS closing ticket offices.
    (1, [[13], [16], [1, 2, 12], [20, 30, 31, 21, 29, 27], [26, 8, 24, 11, 25, 15, 32, 18, 22, 35, 23]],
     [0, 3, 4, 5, 6, 7, 9, 10, 14, 17, 19, 28, 33, 34]),
    # Beef traceability: Gabriëls visits Viangros, Aelvoet announced Beltrace.
    (2, [[14], [18], [15, 17, 30], [9, 4, 3, 29, 19], [27, 11, 34, 0, 10, 5], [16, 24, 37, 1, 31], [26, 6, 7]],
     [2, 8, 12, 13, 20, 21, 22, 23, 25, 28, 32, 33, 35, 36]),
    # Four arrests after racist hunt in Eisenach; Schily's appeal; bomb in Stralsund.
    (3, [[6], [35, 27, 32, 15, 26], [3, 29, 21], [10, 14, 17], [5], [16, 12], [13], [33, 19, 31, 25, 23, 4, 22, 30]],
     [0, 1, 2, 7, 8, 9, 11, 18, 20, 24, 28, 34, 36]),
    # Durant: NMBS must compensate delays from 2002.
    (4, [[22], [32], [28, 30, 29, 3, 36], [18, 11, 20, 19], [9, 10, 17], [21, 8, 16, 12, 7, 0], [33, 31, 26]],
     [1, 2, 4, 5, 6, 13, 14, 15, 23, 24, 25, 27, 34, 35, 37, 38]),
    # Suspect arrested in the Sarah Payne murder case.
    (5, [[15], [7, 5, 19, 9, 21, 2, 10], [13, 18, 3, 22], [16, 4, 12]],
     [0, 1, 6, 8, 11, 14, 17, 20, 23, 24, 25]),
    # Sabena and Swissair found the Airline Management Partnership.
    (8, [[51], [22], [29, 28, 20], [14, 44, 25, 21, 5, 27, 50], [1, 0, 3], [42, 48, 49],
         [30, 40, 18, 33, 8, 12, 37, 46, 7, 9, 41, 17], [45, 24, 4, 32, 52], [10, 43, 34], [2, 35]],
     [6, 11, 13, 15, 16, 19, 23, 26, 31, 36, 38, 39, 47]),
    # Flemish Community Commission subsidies for Brussels arts.
    (9, [[13], [26], [7, 19, 2, 14], [23, 20, 3, 17, 5, 28, 18], [9, 11, 8, 21, 6]],
     [0, 1, 4, 10, 12, 15, 16, 22, 24, 25, 27, 29]),
    # Dutch "mini-Echelon": BVD, Marid, TIVC.
    (12, [[1], [22], [5], [28, 20, 9, 29], [35, 21, 18, 7], [14, 2, 13, 10, 19], [24, 25, 27, 33, 8], [32, 15, 12]],
     [0, 3, 4, 6, 11, 16, 17, 23, 26, 30, 31, 34, 36, 37]),
    # Minister Dua approves two nature reserves in Heist.
    (13, [[19], [8, 24], [26, 28, 1, 27, 9], [5, 2, 10, 14, 6], [15, 4, 22, 23, 12]],
     [0, 3, 7, 11, 13, 16, 17, 18, 20, 21, 25]),
    # VRT journalist Herman De Prins retires.
    (18, [[8], [14, 26], [24, 12, 27], [6, 2, 13, 4], [10, 5, 3, 11], [25, 17]],
     [0, 1, 7, 9, 15, 16, 18, 19, 20, 21, 22, 23, 28]),
    # BSE in sheep: European Commission, professor Vanopdenbosch, Vermont sheep.
    (20, [[27], [36], [2, 17, 14], [21, 25, 1, 8, 44], [38, 15, 41, 5, 39, 33, 34, 26],
          [32, 16, 31, 22, 10, 43, 35, 40, 30], [19, 0, 12, 18]],
     [3, 4, 6, 7, 9, 11, 13, 20, 23, 24, 28, 29, 37, 42]),
    # Geetbets party DNA puts its candidates in alphabetical order.
    (21, [[6], [16, 1, 10, 14, 8], [4, 7, 15]],
     [0, 2, 3, 5, 9, 11, 12, 13, 17, 18]),
    # Dries Van den Abeele chairs the Royal Commission for Monuments and Landscapes.
    (22, [[9], [5, 34, 6, 25, 7, 2], [12, 18], [27], [4, 20], [17, 23, 10, 16, 36, 38, 26], [1, 19, 31, 0, 8, 30]],
     [3, 11, 13, 14, 15, 21, 22, 24, 28, 29, 32, 33, 35, 37, 39]),
    # Israel: Moshe Katzav beats Shimon Peres for president.
    (24, [[43], [6], [26], [23, 38, 32, 35], [4, 14, 8, 25, 42, 3, 18, 11], [0, 21, 28, 33, 9], [22, 29, 44],
          [7, 40, 5, 2, 10, 19, 1, 31]],
     [12, 13, 15, 16, 17, 20, 24, 27, 30, 34, 36, 37, 39, 41]),
    # Commuter Xavier Robeyns against NMBS. Left out besides the fields: 61, a garbled second
    # version of sentence 60.
    (30, [[53], [10], [1], [48, 51, 47, 20, 60], [16, 26, 12, 30, 11], [2, 42, 38, 0, 34, 17, 14, 29, 13, 31, 56],
          [41, 55, 4, 45, 28], [18, 3, 19, 40], [27, 44, 59, 49, 43], [37, 23, 46, 25, 54, 6, 8, 32]],
     [5, 7, 9, 15, 21, 22, 24, 33, 35, 36, 39, 50, 52, 57, 58, 61]),
    # Four Dutchmen arrested in Yugoslavia, accused of a plot against Milosevic.
    (32, [[11], [33], [17, 35, 1], [13, 5], [37, 21, 36, 39, 24, 9], [14, 10, 12, 30, 22, 29, 19, 32], [25, 4, 7, 26]],
     [0, 2, 3, 6, 8, 15, 16, 18, 20, 23, 27, 28, 31, 34, 38]),
    # Venezuela: Chávez re-elected, Arias rejects the result.
    (33, [[25], [14], [10, 29], [24, 3, 8, 0, 2], [23, 21, 28, 22], [6, 9, 7, 20]],
     [1, 4, 5, 11, 12, 13, 15, 16, 17, 18, 19, 26, 27]),
    # Rumours of a store swap between Metro and Wal-Mart.
    (35, [[13], [27, 30, 28, 7], [12, 8, 11, 21, 22, 2], [26], [24, 16, 17, 23, 4, 25, 3, 20]],
     [0, 1, 5, 6, 9, 10, 14, 15, 18, 19, 29]),
    # Rooborst: statue unveiled without building permit.
    (39, [[7, 25], [17], [2, 46, 13], [32, 4, 8, 37, 24, 43, 18, 20, 38], [30, 33, 44, 6],
          [10, 14, 45, 39, 40, 42, 36, 22, 9], [31, 34, 19, 3, 35, 29]],
     [0, 1, 5, 11, 12, 15, 16, 21, 23, 26, 27, 28, 41, 47]),
    # Portrait of Israel's new president Moshe Katzav.
    (41, [[1], [14, 9, 22, 26, 16], [13, 32, 20, 29, 21], [35, 30, 23, 12, 27], [11, 34, 3, 2, 8], [24, 5, 28, 25]],
     [0, 4, 6, 7, 10, 15, 17, 18, 19, 31, 33, 36]),
    # Tectrade builds a pharmacy ordering platform for Omega Pharma.
    (47, [[38], [28, 25, 0, 10, 27, 16, 30, 11], [1], [40, 21, 24, 13, 9], [31, 29, 3, 12, 26, 6, 34], [2],
          [4, 17, 23, 35]],
     [5, 7, 8, 14, 15, 18, 19, 20, 22, 32, 33, 36, 37, 39]),
    # India: bandit Veerappan kidnaps film star Rajkamur.
    (52, [[2], [15], [39, 4], [35, 38, 32, 23, 42, 10], [30, 16, 13, 29, 36], [12, 3, 6, 7], [19, 17, 37, 8, 0, 21],
          [24, 22, 41, 25]],
     [1, 5, 9, 11, 14, 18, 20, 26, 27, 28, 31, 33, 34, 40]),
    # Hungarian prisoner of war found in a Russian psychiatric hospital.
    (55, [[9], [11, 26], [16, 8, 6, 23, 15], [24, 1, 20, 3, 25], [0, 18, 17, 7, 19]],
     [2, 4, 5, 10, 12, 13, 14, 21, 22, 27, 28]),
    # Zimbabwe: farm seizures and a three-day strike.
    (58, [[13], [16], [32, 3, 4, 9], [5, 34, 22, 24, 1], [20, 35, 15, 8, 30], [2, 31, 26, 14, 29, 11], [7, 37, 25]],
     [0, 6, 10, 12, 17, 18, 19, 21, 23, 27, 28, 33, 36]),
    # Mossad recruits by newspaper advertisement.
    (60, [[2], [3, 26, 21, 10], [14, 1, 20], [30, 4, 18], [13, 7, 9], [11, 15], [12, 6, 8, 0]],
     [5, 16, 17, 19, 22, 23, 24, 25, 27, 28, 29, 31]),
    # Dutch hooligans; Sint-Niklaas bans two friendlies; KNVB wants electronic house arrest.
    # Left out besides the fields: 6, a garbled teaser ("Sint-Niklaas Eigen berichtgeving ... Het ...").
    (62, [[24], [27, 30, 31, 16], [1, 10, 8, 4, 3, 2, 26, 15], [5, 17, 19, 7, 22]],
     [0, 6, 9, 11, 12, 13, 14, 18, 20, 21, 23, 25, 28, 29, 32]),
    # Television briefs: Granada Media / United News Media, SBS / UPCtv, EU quotas.
    (69, [[0], [26, 35, 33, 7, 5, 27, 12], [31], [18, 14, 6, 1, 22, 9, 13, 19], [8], [2, 29, 24, 3, 30, 28, 34]],
     [4, 10, 11, 15, 16, 17, 20, 21, 23, 25, 32]),
    # MoMA expansion and staff strike.
    (73, [[24], [29, 0], [11, 6, 31, 32, 16, 33, 1], [3], [10, 26, 13, 17, 4, 35, 28, 19], [20, 22, 7, 23]],
     [2, 5, 8, 9, 12, 14, 15, 18, 21, 25, 27, 30, 34, 36]),
]

MONTHS = {m: i for i, m in enumerate(
    "januari februari maart april mei juni juli augustus september oktober november december".split(), 1)}
DATE_LINE = re.compile(r"^(maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag) , (\d{1,2}) ([a-z]+) (\d{4})$")

NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "...", "/"}
NO_SPACE_AFTER = {"(", "/"}
FINAL_PUNCT = (".", "!", "?", ":", '"', "'", ")", "...")
TITLE_MAX = 90


def read_articles(path):
    """Returns the articles of a CoNLL-2002 file as lists of sentences (lists of words)."""
    articles, sentence = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                if sentence:
                    articles[-1].append(sentence)
                    sentence = []
                articles.append([])
            elif not line.strip():
                if sentence:
                    articles[-1].append(sentence)
                    sentence = []
            else:
                sentence.append(line.split(" ")[0])
    if sentence:
        articles[-1].append(sentence)
    return articles


def fix_tokens(words):
    out = []
    for w in words:
        out.extend(TOKEN_FIXES.get(w, w).split(" "))
    return out


def paragraph_tokens(sentences):
    """Lays out the tokens of one paragraph as (text, space_before) pairs."""
    out = []
    dq_open = sq_open = False
    for words in sentences:
        for k, w in enumerate(words):
            first, last = k == 0, k == len(words) - 1
            space = True
            if w == '"':
                opening = True if first else False if last else not dq_open
                dq_open = opening
            elif w == "'":
                later = "'" in words[k + 1:]
                possessive = (not sq_open and not first and not later
                              and re.search(r"[sxzSXZ]$", words[k - 1]) is not None)
                if possessive:
                    opening = False
                else:
                    opening = True if first else False if last else not sq_open
                    sq_open = opening
            else:
                opening = None
            if opening is False or w in NO_SPACE_BEFORE:
                space = False
            if out and (out[-1][0] in NO_SPACE_AFTER or out[-1][2]):
                space = False
            out.append((w, space, opening is True))
    return out


def render_paragraph(sentences):
    text = []
    for w, space, _ in paragraph_tokens(sentences):
        if text and space:
            text.append(" ")
        text.append(w)
    return "".join(text)


def slugify(title, words=5, max_len=40):
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    parts = [p for p in re.split(r"[^a-z0-9]+", ascii_title.lower()) if p][:words]
    slug = "-".join(parts)
    while len(slug) > max_len and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    return slug


def shorten(title):
    if len(title) <= TITLE_MAX:
        return title
    cut = title[:TITLE_MAX].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + " …"


def article_date(sentences):
    for words in sentences:
        m = DATE_LINE.match(" ".join(words))
        if m and m.group(3) in MONTHS:
            return "%s-%02d-%02d" % (m.group(4), MONTHS[m.group(3)], int(m.group(2)))
    return None


def build(index, paragraphs, dropped, sentences):
    n = len(sentences)
    placed = [s for p in paragraphs for s in p]
    everything = sorted(placed + list(dropped))
    if everything != list(range(n)):
        missing = sorted(set(range(n)) - set(everything))
        twice = sorted({s for s in everything if everything.count(s) > 1})
        extra = sorted(set(everything) - set(range(n)))
        raise SystemExit(f"article {index}: sentences missing {missing}, used twice {twice}, unknown {extra}")
    body = []
    for p in paragraphs:
        sents = [fix_tokens(sentences[s]) for s in p]
        quotes = sum(w.count('"') for ws in sents for w in ws)
        if quotes % 2:
            print(f"note: article {index}: paragraph starting with sentence {p[0]} has an odd number "
                  f"of double quotes (as in the source)", file=sys.stderr)
        body.append(render_paragraph(sents))
    title = shorten(body[0])
    header = [f"title {title}"]
    date = article_date(sentences)
    if date:
        header.append(f"date {date}")
    header.append("lang nl")
    return title, "\n".join(header) + "\n\n" + "\n\n".join(body) + "\n"


def main(argv):
    data = Path(argv[1]) if len(argv) > 1 else DEFAULT_DATA
    out_dir = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    articles = read_articles(data)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for order, (index, paragraphs, dropped) in enumerate(ARTICLES, 1):
        title, text = build(index, paragraphs, dropped, articles[index])
        name = "%02d-%s.txt" % (order, slugify(title))
        (out_dir / name).write_bytes(text.encode("utf-8"))
        written.append(name)
        print(f"{name}\t{index}\t{title}")
    for old in sorted(out_dir.glob("[0-9][0-9]-*.txt")):
        if old.name not in written:
            old.unlink()
            print(f"removed stale {old.name}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
