#!/usr/bin/env python3
"""Build data/countries.tsv and data/country_names.tsv for newsidx's country gazetteer.

usage: gen_countries.py SHARED_NER_DIR OUT_DIR

Input: SHARED_NER_DIR/gazetteer/countries_nl_en.tsv (alias iso2 lang kind source flags),
see its SOURCE.md. Rows whose only source is Debian iso-codes (LGPL) are dropped so the
repo data carries only CLDR (Unicode licence), GeoNames (CC-BY-4.0), OpenTaal (BSD/CC-BY)
derived and hand-written rows.

Output countries.tsv (compact, one alias per line, '#' comments):
    alias <TAB> ISO2 <TAB> lang (nl|en|*) <TAB> cat <TAB> flags
cat: N name/short/variant/official, A adjective (any inflection), D demonym (singular),
     P demonym (plural), C capital/city, B abbreviation (matched case-sensitively),
     M metonym (seat of government: "Witte Huis", "Kremlin").
flags: l = lowercase form is an ordinary Dutch word, p = also a first name.
Output country_names.tsv: ISO2 <TAB> Dutch display name <TAB> English display name.
"""
import csv
import os
import sys
from collections import defaultdict

CAT = {"name": "N", "short": "N", "variant": "N", "official": "N", "adj": "A", "adj_e": "A",
       "demonym": "D", "demonym_pl": "P", "capital": "C", "city": "C", "abbr": "B"}
PRIO = "BNMCAPD"  # when one alias has several categories for one code, keep the first

# ---- hand-written rows (source: manual) -------------------------------------------
MANUAL = [
    # metonyms: seat of government used for the country's government
    ("Witte Huis", "US", "nl", "M"), ("White House", "US", "en", "M"),
    ("Kremlin", "RU", "*", "M"), ("Downing Street", "GB", "*", "M"),
    ("Pentagon", "US", "*", "M"), ("Elysée", "FR", "*", "M"),
    # EU/"Brussel" deliberately NOT mapped: the EU is not a country.
    # official names (the iso-codes rows are not used, see above)
    ("Russian Federation", "RU", "en", "N"), ("Republiek Korea", "KR", "nl", "N"),
    ("Republic of Korea", "KR", "en", "N"), ("Democratic People's Republic of Korea", "KP", "en", "N"),
    ("Volksrepubliek China", "CN", "nl", "N"), ("People's Republic of China", "CN", "en", "N"),
    ("Koninkrijk der Nederlanden", "NL", "nl", "N"), ("Great Britain", "GB", "en", "N"),
    ("Verenigde Staten van Amerika", "US", "nl", "N"), ("United States of America", "US", "en", "N"),
    ("Islamitische Republiek Iran", "IR", "nl", "N"),
    # Palestine: Gaza / West Bank and adjectives
    ("Gaza", "PS", "*", "C"), ("Gazastrook", "PS", "nl", "N"), ("Gaza Strip", "PS", "en", "N"),
    ("Westelijke Jordaanoever", "PS", "nl", "N"), ("West Bank", "PS", "en", "N"),
    ("Palestijns", "PS", "nl", "A"), ("Palestijnse", "PS", "nl", "A"), ("Palestinian", "PS", "en", "A"),
    ("Palestijn", "PS", "nl", "D"), ("Palestijnen", "PS", "nl", "P"), ("Palestinians", "PS", "en", "P"),
    # cities often in the news but below the 1M-inhabitant cut
    ("Koersk", "RU", "nl", "C"), ("Kursk", "RU", "en", "C"),
    ("Charkiv", "UA", "nl", "C"), ("Kharkiv", "UA", "en", "C"), ("Odesa", "UA", "*", "C"),
    ("Marioepol", "UA", "nl", "C"), ("Mariupol", "UA", "en", "C"), ("Cherson", "UA", "nl", "C"),
    ("Kherson", "UA", "en", "C"), ("Bachmoet", "UA", "nl", "C"), ("Bakhmut", "UA", "en", "C"),
    ("Tel Aviv", "IL", "*", "C"),
    ("Den Haag", "NL", "nl", "C"), ("The Hague", "NL", "en", "C"), ("Rotterdam", "NL", "*", "C"),
    ("Utrecht", "NL", "*", "C"), ("Eindhoven", "NL", "*", "C"), ("Groningen", "NL", "*", "C"),
    ("Antwerpen", "BE", "nl", "C"), ("Antwerp", "BE", "en", "C"), ("Gent", "BE", "nl", "C"),
    ("Ghent", "BE", "en", "C"), ("Luik", "BE", "nl", "C"), ("Brugge", "BE", "nl", "C"),
    # US states and Reuters-style state abbreviations in datelines ("PORTLAND, Ore.").
    # Left out on purpose: Georgia (the country), Virginia/Carolina (first names).
    *[(st, "US", "*", "C") for st in (
        "Alabama", "Alaska", "Arizona", "Arkansas", "Colorado", "Connecticut", "Delaware", "Florida",
        "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine",
        "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana",
        "Nebraska", "Nevada", "New Hampshire", "North Dakota", "South Dakota", "Ohio", "Oklahoma",
        "Oregon", "Pennsylvania", "Rhode Island", "Tennessee", "Texas", "Utah", "Vermont",
        "Wisconsin", "Wyoming", "North Carolina", "South Carolina", "West Virginia")],
    ("Californië", "US", "nl", "C"), ("California", "US", "en", "C"), ("Pennsylvanië", "US", "nl", "C"),
    ("Noord-Carolina", "US", "nl", "C"), ("Zuid-Carolina", "US", "nl", "C"), ("Noord-Dakota", "US", "nl", "C"),
    ("Zuid-Dakota", "US", "nl", "C"), ("West-Virginia", "US", "nl", "C"),
    *[(ab, "US", "en", "B") for ab in (
        "Calif.", "N.Y.", "Ore.", "Ky.", "Ill.", "Tex.", "Fla.", "Conn.", "Mich.", "Minn.", "Penn.",
        "N.J.", "Wis.", "Colo.", "Ariz.", "Okla.", "Tenn.", "Ala.", "Neb.", "Nev.", "N.C.", "S.C.",
        "N.H.", "R.I.", "Mass.", "Wash.", "D.C.", "Md.", "Va.", "Ga.", "Pa.")],
    # large cities below the 1M cut that news datelines use
    *[(c, "US", "*", "C") for c in (
        "Boston", "Detroit", "Atlanta", "Miami", "Seattle", "Denver", "San Francisco", "Baltimore",
        "Cleveland", "Pittsburgh", "St. Louis", "Minneapolis", "New Orleans", "Las Vegas", "Louisville",
        "Cincinnati", "Milwaukee", "Kansas City", "Omaha", "Nashville", "Memphis", "Indianapolis",
        "Sacramento", "Oakland", "Honolulu", "Silicon Valley", "Wall Street", "Capitol Hill")],
    ("Montreal", "CA", "*", "C"), ("Vancouver", "CA", "*", "C"), ("Quebec", "CA", "*", "C"),
    ("Manchester", "GB", "*", "C"), ("Liverpool", "GB", "*", "C"), ("Glasgow", "GB", "*", "C"),
    ("Edinburgh", "GB", "*", "C"), ("Frankfurt", "DE", "*", "C"), ("Stuttgart", "DE", "*", "C"),
    ("Düsseldorf", "DE", "*", "C"), ("Bonn", "DE", "*", "C"), ("Lyon", "FR", "*", "C"),
    ("Marseille", "FR", "*", "C"), ("Toulouse", "FR", "*", "C"), ("Milaan", "IT", "nl", "C"),
    ("Milan", "IT", "en", "C"), ("Turijn", "IT", "nl", "C"), ("Turin", "IT", "en", "C"),
    ("Napels", "IT", "nl", "C"), ("Naples", "IT", "en", "C"), ("Venetië", "IT", "nl", "C"),
    ("Venice", "IT", "en", "C"), ("Genève", "CH", "nl", "C"), ("Geneva", "CH", "en", "C"),
    ("Basel", "CH", "*", "C"), ("Brisbane", "AU", "*", "C"), ("Perth", "AU", "*", "C"),
    ("Adelaide", "AU", "*", "C"), ("Auckland", "NZ", "*", "C"), ("Wellington", "NZ", "*", "C"),
    # adjectives and historical names the sources lack
    ("Argentine", "AR", "en", "A"), ("Soviet Union", "RU", "en", "N"), ("Sovjet-Unie", "RU", "nl", "N"),
    ("Soviet", "RU", "en", "A"), ("West Germany", "DE", "en", "N"), ("West German", "DE", "en", "A"),
    ("West-Duitsland", "DE", "nl", "N"), ("Hong Kong", "HK", "*", "N"),
    # dotted and historical abbreviations the source lacks (Reuters: "U.K." in 615 articles,
    # "USSR" in 99); the Soviet Union is RU, as "Soviet Union" above
    ("U.K.", "GB", "en", "B"), ("U.S.A.", "US", "en", "B"), ("U.A.E.", "AE", "en", "B"),
    ("USSR", "RU", "en", "B"), ("U.S.S.R.", "RU", "en", "B"), ("V.K.", "GB", "nl", "B"),
    ("V.A.E.", "AE", "nl", "B"),
    # US states whose last word is a country/region alias (stop "Mexico" in "New Mexico")
    ("New Mexico", "US", "*", "C"), ("New Jersey", "US", "*", "C"), ("New South Wales", "AU", "*", "C"),
    # names news writes that the sources give only with a parenthesis ("Congo (DRC)", "Myanmar
    # (Burma)") or not at all. "Congo" alone is DR Congo (CD): the Dutch and Belgian press and
    # current news mean Kinshasa; Reuters-21578 (1987, when it was Zaire) meant Brazzaville.
    ("Congo", "CD", "*", "N"), ("Democratic Republic of the Congo", "CD", "en", "N"),
    ("Democratic Republic of Congo", "CD", "en", "N"), ("DR Congo", "CD", "*", "N"),
    ("DRC", "CD", "en", "B"), ("Democratische Republiek Congo", "CD", "nl", "N"),
    ("Zaire", "CD", "en", "N"), ("Zaïre", "CD", "nl", "N"),
    # The text matcher takes aliases of at most four tokens: "Democratic Republic of the
    # Congo" (five) serves `--country` only; in text "Congo" gives CD. Brazzaville is
    # "Congo-Brazzaville" (in the source); "Republic of the Congo" is left out: inside
    # "Democratic Republic of the Congo" it would be the longest match (the Dutch
    # "Democratische Republiek Congo" starts first and wins)
    ("Republiek Congo", "CG", "nl", "N"),
    ("Burma", "MM", "en", "N"), ("Birma", "MM", "nl", "N"), ("Macedonia", "MK", "en", "N"),
    ("Vatican", "VA", "en", "N"), ("Holy See", "VA", "en", "N"), ("Vaticaan", "VA", "nl", "N"),
    ("Türkiye", "TR", "*", "N"), ("Falklands", "FK", "*", "N"), ("Bosnië", "BA", "nl", "N"),
    ("Côte d'Ivoire", "CI", "en", "N"), ("Cote d'Ivoire", "CI", "en", "N"),
    ("Trinidad", "TT", "*", "N"),
    # Dutch demonyms the source lacks (not derivable by its rules)
    ("Nederlander", "NL", "nl", "D"), ("Nederlanders", "NL", "nl", "P"), ("Belg", "BE", "nl", "D"),
    ("Belgen", "BE", "nl", "P"), ("Duitser", "DE", "nl", "D"), ("Duitsers", "DE", "nl", "P"),
    ("Italiaan", "IT", "nl", "D"), ("Italianen", "IT", "nl", "P"), ("Spanjaarden", "ES", "nl", "P"),
    ("Oekraïner", "UA", "nl", "D"), ("Oekraïners", "UA", "nl", "P"), ("Israëliërs", "IL", "nl", "P"),
    ("Iraniërs", "IR", "nl", "P"), ("Syriërs", "SY", "nl", "P"), ("Afghanen", "AF", "nl", "P"),
    # English demonyms the source lacks
    ("Briton", "GB", "en", "D"), ("Britons", "GB", "en", "P"), ("Brits", "GB", "en", "P"),
    ("Dutchman", "NL", "en", "D"), ("Frenchman", "FR", "en", "D"), ("Englishman", "GB", "en", "D"),
]
# display names of codes that the source names only by alias rows (Kosovo: a user-assigned
# code, XK, that CLDR 41's territory list in the source lacks)
MANUAL_NAMES = {"XK": ("Kosovo", "Kosovo")}
# withdrawn ISO codes that still occur in historic currency/territory data
OLD_CODES = {"AN", "CS", "YU", "SU", "DD", "ZR", "TP", "BU"}
# aliases dropped: too ambiguous in news text (first names, ordinary words, parts of other names)
DROP = {"Noor", "Pest", "Aba", "Kota", "Male", "Jos", "Fes", "Jersey", "Kanton", "Handan", "Medina", "Montserrat", "Victoria", "Stanley", "Douglas", "Alexandria", "Salvador",
        "Georgia"}  # Georgia: in English news mostly the US state


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src = os.path.join(sys.argv[1], "gazetteer", "countries_nl_en.tsv")
    out = sys.argv[2]
    rows = defaultdict(lambda: {"langs": set(), "cats": set(), "flags": set()})
    names = defaultdict(dict)
    with open(src, encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            alias, code, lang, kind, source = r["alias"], r["iso2"], r["lang"], r["kind"], r["source"]
            flags = set(filter(None, r["flags"].split(",")))
            if kind == "name" and "cldr41" in source.split("+"):
                names[code].setdefault(lang, alias)
            if set(source.split("+")) <= {"iso-codes-4.15"}:
                continue  # LGPL-only row
            if alias in DROP or not alias[:1].isupper() or code in OLD_CODES:
                continue
            e = rows[(alias, code)]
            e["langs"].add(lang)
            e["cats"].add(CAT[kind])
            if "lcword" in flags:
                e["flags"].add("l")
            if "pername" in flags:
                e["flags"].add("p")
            # English plural demonyms by rule: Russian -> Russians, Pakistani -> Pakistanis
            if lang == "en" and kind == "adj" and (alias.endswith("an") or alias.endswith("i")):
                p = rows[(alias + "s", code)]
                p["langs"].add("en")
                p["cats"].add("P")
    for alias, code, lang, cat in MANUAL:
        e = rows[(alias, code)]
        e["langs"].update(["nl", "en"] if lang == "*" else [lang])
        e["cats"].add(cat)
    # one code per alias: prefer a name over a city; drop what stays ambiguous
    by_alias = defaultdict(list)
    for (alias, code), e in rows.items():
        by_alias[alias].append(code)
    keep = {}
    for alias, codes in by_alias.items():
        if len(codes) > 1:
            named = [c for c in codes if rows[(alias, c)]["cats"] & set("NBA")]
            if len(named) == 1:
                codes = named
            else:
                print(f"ambiguous alias dropped: {alias} {sorted(codes)}", file=sys.stderr)
                continue
        keep[alias] = codes[0]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "countries.tsv"), "w", encoding="utf-8") as f:
        f.write("# generated by tools/gen_countries.py; see ATTRIBUTION.md\n")
        f.write("# alias\tiso2\tlang\tcat(N name,A adj,D demonym,P plural,C city,B abbr,M metonym)\tflags(l lcword,p pername)\n")
        for alias in sorted(keep):
            code = keep[alias]
            e = rows[(alias, code)]
            cat = next(c for c in PRIO if c in e["cats"])
            lang = "*" if len(e["langs"]) > 1 else next(iter(e["langs"]))
            if cat == "C":
                lang = "*"  # cities are matched in both languages
            f.write(f"{alias}\t{code}\t{lang}\t{cat}\t{''.join(sorted(e['flags']))}\n")
    # codes with aliases but no CLDR territory name in the source: named by hand
    for code, (nl, en) in MANUAL_NAMES.items():
        if code in set(keep.values()) and code not in names:
            names[code] = {"nl": nl, "en": en}
    with open(os.path.join(out, "country_names.tsv"), "w", encoding="utf-8") as f:
        f.write("# generated by tools/gen_countries.py from CLDR 41 territory names\n")
        for code in sorted(names):
            n = names[code]
            f.write(f"{code}\t{n.get('nl', n.get('en', code))}\t{n.get('en', n.get('nl', code))}\n")
    print(f"{len(keep)} aliases, {len(names)} codes", file=sys.stderr)


if __name__ == "__main__":
    main()
