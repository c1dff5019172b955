"""Hand-transcribed data of the three tables of Dermine et al. 2019 (J. Clin. Med. 8, 1907).

Why transcribed rather than parsed: in the plain-text seed the tables are flattened to
tab-separated lines with conversion debris (stacked lines inside a cell are space-joined,
a study with two treatment lines is split over two seed lines, stray "SIR-Spheres" lines
appear in Table 2, footnote marks are written ``^{\\$}``).  Parsing that at run time would
bake the debris into the PDF *and* into the truth file the extractor is scored against.
So the cells live here as explicit Python data, which is the single source for both the
typeset PDF and ``tests/fixtures/tables/reportlab/dermine2019_review.expected.json``.

Cell mini-markup (only two conventions):

* ``"\\n"`` separates lines stacked inside ONE cell (typeset as a forced line break);
* ``"{x}"`` marks a superscript footnote mark ``x`` (e.g. ``"23{$}"`` is 23 with a raised
  ``$``); the truth text simply drops the braces (``"23$"``).

``seed_mismatches`` re-flattens the data the way the text conversion did and compares it
with the seed's tab lines, so a transcription slip is caught by the generator instead of
silently ending up in the golden file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARK = re.compile(r"\{([^{}]+)\}")

#: A two-row header: each entry is (text, first column, last column, first row, last row).
HeaderCell = tuple[str, int, int, int, int]


@dataclass(frozen=True)
class TableSpec:
    """One table: caption, header layout, body rows and the legend printed below it."""

    label: str
    caption: str
    header: tuple[HeaderCell, ...]
    n_header_rows: int
    rows: tuple[tuple[str, ...], ...]
    footnotes: tuple[str, ...]

    @property
    def n_cols(self) -> int:
        return max(h[2] for h in self.header) + 1

    def header_grid(self) -> list[list[str]]:
        """Header texts per printed row, "" where a cell is covered by a span."""
        grid = [["" for _ in range(self.n_cols)] for _ in range(self.n_header_rows)]
        for text, c0, _c1, r0, _r1 in self.header:
            grid[r0][c0] = text
        return grid

    def header_paths(self) -> list[str]:
        """One flattened "Parent / Child" path per leaf column."""
        paths: list[list[str]] = [[] for _ in range(self.n_cols)]
        for text, c0, c1, _r0, _r1 in sorted(self.header, key=lambda h: h[3]):
            for col in range(c0, c1 + 1):
                paths[col].append(plain(text))
        return [" / ".join(p) for p in paths]


def plain(text: str) -> str:
    """Truth form of a cell: footnote marks kept as ordinary trailing characters."""
    return _MARK.sub(r"\1", text)


def _seed_form(text: str) -> str:
    """How the seed's text conversion flattened a cell (stacked lines space-joined)."""
    return _MARK.sub(r" ^{\\\1}", text).replace("\n", " ")


_OUTCOME_HEADER: tuple[HeaderCell, ...] = (
    ("Author, Years", 0, 0, 0, 1),
    ("N", 1, 1, 0, 1),
    ("Tumor Type", 2, 4, 0, 0),
    ("Small Bowel", 2, 2, 1, 1),
    ("Pancreas", 3, 3, 1, 1),
    ("Other", 4, 4, 1, 1),
    ("Treatment", 5, 5, 0, 1),
    ("Methods", 6, 6, 0, 1),
    ("Symptom Response (%)", 7, 7, 0, 1),
    ("Imaging Response", 8, 9, 0, 0),
    ("Tumor Response Rates (%){*}", 8, 8, 1, 1),
    ("Stable Disease", 9, 9, 1, 1),
    ("Survival", 10, 11, 0, 0),
    ("Progression-Free Survival (Month)", 10, 10, 1, 1),
    ("Overall Survival (Month)", 11, 11, 1, 1),
)

# Author, N, Small Bowel, Pancreas, Other, Treatment, Methods, Symptom, Tumor resp., Stable,
# PFS, OS.  Stacked lines of one cell are separated by "\n" (never two rows).
# fmt: off
_TABLE1_ROWS: tuple[tuple[str, ...], ...] = (
    ("Carrasco, 1986", "25", "16", "-", "9", "TAE", "Sponge", "87", "94", "-", "11", "16"),
    ("Therasse, 1993", "23", "23", "-", "-", "TACE", "Doxo + sponge", "100", "35", "24", "29",
     "24"),
    ("Diamandidou, 1998", "20", "17", "3", "-", "TACE", "Cispl", "67", "78", "22", "-", "-"),
    ("Kim, 1999", "30", "16", "14", "-", "TACE", "Cisp + doxo\n5FU + STZ", "-", "25\n50", "-",
     "24", "15"),
    ("Yao, 2001", "20", "10", "10", "-", "TACE", "Doxo + mito + cispl", "50", "25", "10", "32",
     "40"),
    ("Kress, 2003", "26", "12", "10", "4", "TACE", "Doxo", "-", "8", "53", "-", "-"),
    ("Loewe, 2003", "23", "23", "-", "-", "TAE", "Cyanoacrylate", "56", "73", "23", "-", "69"),
    ("Roche, 2003", "14", "14", "-", "-", "TACE", "Doxo + sponge", "90", "72", "14", "-", "47"),
    ("Osborne, 2006", "59", "42", "17", "-", "TAE", "PVA or embosphères", "91", "-", "-", "22",
     "24"),
    ("Strosberg, 2006", "84", "59", "20", "5", "TAE", "PVA or embosphères", "80", "48", "52", "-",
     "36"),
    ("Bloomston, 2007", "122", "122", "-", "-", "TACE", "Doxo + mito + cispl", "92", "82", "12",
     "19", "33"),
    ("Granberg, 2007", "15", "7", "-", "8", "TAE", "Embosphères", "42", "35", "56", "6", "-"),
    ("Ho, 2007", "46", "31", "15", "-", "TAE or TACE", "Sponge or PVA\nDoxo + mito + cispl",
     "78\n75", "45\n45", "32\n45", "23{$}\n16{$}", "42{$}\n44{$}"),
    ("Marrache, 2007", "67", "48", "19", "-", "TACE", "STZ or doxo", "91", "37", "36", "15", "-"),
    ("Varker, 2007", "27", "13", "4", "10", "TACE", "Doxo + mito + cispl", "77", "61", "-", "5",
     "28"),
    ("Christante, 2008", "77", "37", "15", "25", "TAE or TACE", "5FU", "61", "58", "22", "19",
     "39"),
    ("De Baere, 2008", "20", "20", "-", "-", "TACE", "DEB", "-", "80", "15", "15", "-"),
    ("Kamat, 2008", "38", "7", "10", "21", "TAE or TACE", "PVA or sponge\nMultiple chemotherapy",
     "65", "44", "-", "9", "19"),
    ("Pitt, 2008", "100", "56", "44", "-", "TAE or TACE",
     "Sponge, PVA, embosphere\nCispl, adriamycin, mitomycin C", "TAE 76\nTACE 69", "-", "-", "-",
     "26"),
    ("Dong, 2011", "123", "21", "61", "41", "TACE", "Doxo, STZ", "-", "62", "24", "-", "65{$}"),
    ("Gaur, 2011", "18", "18", "-", "-", "TACE", "DEB doxo", "-", "58", "42", "14", "-"),
    ("Maire, 2012", "26", "26", "-", "-", "TAE or TACE", "Sponge\nDoxo", "-", "65", "30", "24\n19",
     "-"),
    ("Hur, 2013", "46", "22", "-", "-", "TACE", "Doxo", "-", "58", "-", "16", "39"),
    ("Fiore, 2014", "30", "16", "12", "2", "TAE\nTACE", "Lipiodol\nEpirubicin", "-", "30\n38", "-",
     "36", "60"),
    ("Dhir, 2017", "91", "35", "22", "34", "TACE", "STZ", "54", "23", "47", "18", "44"),
)
# fmt: on

TABLE1 = TableSpec(
    label="Table 1",
    caption=(
        "Outcomes of studies of trans-arterial embolization and chemoembolization in patients "
        "with liver metastases from gastrointestinal Neuroendocrine tumors NETs."
    ),
    header=_OUTCOME_HEADER,
    n_header_rows=2,
    rows=_TABLE1_ROWS,
    footnotes=(
        "TAE: Trans-arterial embolization.",
        "TACE: Trans-arterial chemoembolization.",
        "Doxo: Doxorubicin.",
        "Cispl: Cisplatin.",
        "5FU: 5-fluorouracil.",
        "STZ: streptozotocin.",
        "DEB: Drug-eluting beads trans-arterial chemoembolization.",
        "PVA: Polyvinyl alcohol.",
        "{*} Tumor response rates include complete and partial responses.",
        "{$} Mean.",
    ),
)

# Author, N, Small Bowel, Pancreas, Other, Treatment, Line, Symptom, Tumor resp., Stable,
# PFS, OS.  Rhee, 2008 is one study with two treatment lines; the seed's lone "SIR-Spheres"
# lines after Lacin, 2011 and Rajekar, 2011 are conversion debris and are not rows.
# fmt: off
_TABLE2_ROWS: tuple[tuple[str, ...], ...] = (
    ("Kennedy, 2008", "148", "100", "28", "20", "SIR-Spheres", "1st", "-", "70", "25", "-", "70"),
    ("King, 2008", "34", "15", "8", "11", "SIR-Spheres + 5FU infusion", "1st or more", "55", "50",
     "15", "-", "24"),
    ("Murthy, 2008", "8", "1", "6", "1", "SIR-Spheres", "Last", "-", "12", "50", "-", "14"),
    ("Rhee, 2008", "42", "31", "11", "", "SIR-Spheres\nTheraspheres", "-", "-", "52", "41", "-",
     "28\n22"),
    ("Kalinowski, 2009", "9", "4", "3", "2", "SIR-Spheres", "-", "-", "67", "33", "11", "-"),
    ("Cao, 2010", "58", "21", "14", "23", "SIR-Spheres", "-", "-", "39", "27", "-", "36"),
    ("Saxena, 2010", "41", "22", "15", "4", "SIR-Spheres", "1st", "-", "54", "23", "-", "35"),
    ("Lacin, 2011", "13", "3", "3", "7", "SIR-Spheres", "2nd or more", "-", "50", "40", "-", "18"),
    ("Rajekar, 2011", "14", "", "", "14", "SIR-Spheres + 5FU infusion", "-", "100", "100", "", "-",
     "25"),
    ("Ezzidin, 2012", "23", "", "14", "9", "Theraspheres", "Last", "80", "30", "61", "-", "29"),
    ("Memon, 2012", "40", "10", "9", "21", "Theraspheres", "1st", "84", "64", "-", "-", "34"),
    ("Paprottka, 2012", "42", "23", "9", "10", "SIR-Spheres", "Last", "95", "22.5", "75", "-",
     "-"),
    ("Ozao-Choy, 2013", "18", "14", "3", "1", "SIR-Spheres", "-", "-", "58", "32", "-", "-"),
    ("Peker, 2015", "30", "6", "7", "17", "SIR-Spheres", "2nd or more", "-", "46", "67", "-",
     "39"),
    ("Fidelman, 2016", "11", "6", "3", "2", "TheraSpheres", "Last", "100", "73", "27", "9", "-"),
)
# fmt: on

_TABLE2_RENAMES = {"Methods": "Line", "Stable Disease": "Stable Disease (%)"}

TABLE2 = TableSpec(
    label="Table 2",
    caption=(
        "Outcomes of studies of trans-arterial radio-embolization in patients with liver "
        "metastases from gastrointestinal Neuroendocrine tumors (NETs)."
    ),
    # Same layout as Table 1, two header texts differ.
    header=tuple((_TABLE2_RENAMES.get(h[0], h[0]), *h[1:]) for h in _OUTCOME_HEADER),
    n_header_rows=2,
    rows=_TABLE2_ROWS,
    footnotes=(
        "5FU: 5-fluorouracil.",
        "{*} Tumor response rates include complete and partial responses.",
        "SIR: Selective internal radiation.",
    ),
)

# fmt: off
_TABLE3_ROWS: tuple[tuple[str, ...], ...] = (
    ("Selective Intra-arterial Injection of PRRT in Neuroendocrine Tumor Patients with "
     "Liver Metastases",
     "NCT03724409", "Early Phase 1", "Recruiting", "Sandeep Laroia"),
    ("Randomized Embolization Trial for NeuroEndocrine Tumor Metastases to The Liver",
     "NCT02724540", "Phase 2", "Recruiting", "University of Pennsylvania"),
    ("Pembrolizumab and Liver-Directed Therapy in Well-Differentiated Neuroendocrine Tumors "
     "with Liver Metastases",
     "NCT03457948", "Phase 2", "Recruiting", "Nicholas Fidelman, MD"),
    ("Neo-adjuvant Peptide Receptor Mediated Radiotherapy With 177 Lutetium in Front of "
     "Curative Intended Liver Transplantation in Patients with Hepatic Metastasis of "
     "Neuroendocrine Tumors (NEO-LEBE)",
     "NCT01201096", "Observational", "Unknown", "University of Jena"),
    ("Phase II Study of Sunitinib Malate Following Hepatic Artery Embolization",
     "NCT00434109", "Phase 2", "Completed",
     "H. Lee Moffitt Cancer Center and Research Institute"),
    ("DEBOXA for Inoperable NET Liver Metastases",
     "NCT03881306", "Phase 1 Phase 2", "Recruiting",
     "Xiangya Hospital of Central South University"),
    ("Stereotactic Body Radiation Therapy (SBRT) for Unresectable Liver Metastases",
     "NCT02185443", "Phase 2", "Recruiting", "University of Sao Paulo"),
    ("Everolimus After (Chemo)Embolization for Liver Metastases from Digestive Endocrine "
     "Tumors (EVACEL)",
     "NCT01678664", "Phase 2", "Active, not recruiting",
     "Federation Francophone de Cancerologie Digestive"),
    ("Efficacy and Safety of 177Lu-edotreotide PRRT in GEP-NET Patients (COMPETE)",
     "NCT03049189", "Phase 3", "Recruiting", "ITM Solucin GmbH"),
    ("Antitumor Efficacy of Peptide Receptor Radionuclide Therapy With 177Lutetium "
     "-Octreotate Randomized vs Sunitinib in Unresectable Progressive Well-Differentiated "
     "Neuroendocrine Pancreatic Tumor: First Randomized Phase II (OCCLURANDOM)",
     "NCT02230176", "Phase 2", "Recruiting", "Gustave Roussy, Cancer Campus, Grand Paris"),
)
# fmt: on

TABLE3 = TableSpec(
    label="Table 3",
    caption=(
        "Ongoing clinical trials about non-pharmacological treatment of NETs metastatic to the "
        "liver."
    ),
    header=(
        ("Study Title", 0, 0, 0, 0),
        ("Identifier", 1, 1, 0, 0),
        ("Type of Study", 2, 2, 0, 0),
        ("Recruiting Status", 3, 3, 0, 0),
        ("Sponsor", 4, 4, 0, 0),
    ),
    n_header_rows=1,
    rows=_TABLE3_ROWS,
    footnotes=(),
)

TABLES: tuple[TableSpec, ...] = (TABLE1, TABLE2, TABLE3)


def truth_record(table: TableSpec) -> dict[str, object]:
    """The JSON-able ground truth of one table (see the module docstring for the format)."""
    return {
        "label": table.label,
        "caption": table.caption,
        "header_rows": [[plain(c) for c in row] for row in table.header_grid()],
        "header_paths": table.header_paths(),
        "rows": [[plain(c) for c in row] for row in table.rows],
        "footnotes": " ".join(plain(n) for n in table.footnotes),
    }


# Debris the seed's converter left in Table 2: a lone "SIR-Spheres" in the Treatment column
# (after Lacin, 2011 and after Rajekar, 2011) that is not a line of any study.
_DEBRIS = ("", "", "", "", "", "SIR-Spheres", "", "", "", "", "", "")


def _seed_rows(lines: list[str], n_cols: int) -> list[list[str]]:
    """Rebuild flattened rows from seed tab lines: continuation lines (empty first field)
    are space-joined into the row above, known debris lines are dropped."""
    rows: list[list[str]] = []
    for line in lines:
        fields = (line.split("\t") + [""] * n_cols)[:n_cols]
        fields = [re.sub(r"\b(\d) (st|nd)\b", r"\1\2", f.strip()) for f in fields]
        if tuple(fields) == _DEBRIS:
            continue
        if fields[0] == "" and rows:
            rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], fields, strict=True)]
        else:
            rows.append(fields)
    return rows


def seed_mismatches(table: TableSpec, seed_lines: list[str]) -> list[str]:
    """Differences between the transcription and the seed's tab lines (header included).

    Only a consistency check: the data above stays authoritative.
    """
    header_lines = seed_lines[: table.n_header_rows]
    problems: list[str] = []
    grid = table.header_grid()
    for r, line in enumerate(header_lines):
        fields = (line.split("\t") + [""] * table.n_cols)[: table.n_cols]
        for c, (want, got) in enumerate(zip(grid[r], fields, strict=True)):
            if _seed_form(want).replace(" ^{\\*}", " *") != got.strip():
                problems.append(f"{table.label} header r{r}c{c}: {want!r} vs seed {got!r}")
    body = _seed_rows(seed_lines[table.n_header_rows :], table.n_cols)
    if len(body) != len(table.rows):
        problems.append(f"{table.label}: {len(table.rows)} rows vs {len(body)} in seed")
    for row, seed_row in zip(table.rows, body, strict=False):
        for c, (want, got) in enumerate(zip(row, seed_row, strict=True)):
            if _seed_form(want) != got:
                problems.append(f"{table.label} {row[0]} c{c}: {want!r} vs seed {got!r}")
    return problems


def seed_legend(table: TableSpec) -> str:
    """The legend as the seed writes it (used to recognise and skip it in the prose)."""
    return " ".join(_seed_form(n).replace("^{\\*}", "*").strip() for n in table.footnotes)
