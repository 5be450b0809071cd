#include "schema.h"

#include <stddef.h>
#include <string.h>

#include "../diag/diag.h"
#include "../load/loader.h"
#include "record.h"

const char *const schema_status_values[] = {"continue", "terminate", "explore", "note", NULL};
/* A partner cannot be "note": that status is only for decisions. */
static const char *const partner_status_values[] = {"continue", "terminate", "explore", NULL};
const char *const schema_kind_values[] = {"max", "estimate", "fixed", NULL};
const char *const schema_recurrence_values[] = {"once", "yearly", NULL};
const char *const schema_language_values[] = {"da", "en", NULL};

#define END {NULL, 0, 0, 0, NULL, NULL, NULL, NULL}

static const struct field alternative_fields[] = {
	{"label", FT_STRING, F_REQUIRED, offsetof(struct alternative, label), NULL, NULL,
	 "What the alternative is; also names the second scenario on the budget page.",
	 "ved fuld tid"},
	{"amount", FT_AMOUNT, F_REQUIRED | F_NULLABLE, offsetof(struct alternative, amount), NULL,
	 NULL, "The cost under this alternative, in whole kroner (null: not stated).", "375000"},
	END};

static const struct schema schema_alternative = {
	"alternative", sizeof(struct alternative), alternative_fields,
	"Another amount the same cost line takes under a different choice."};

static const struct field cost_fields[] = {
	{"label", FT_STRING, F_REQUIRED, offsetof(struct cost, label), NULL, NULL,
	 "What the money is for.", "Repræsentationskontoret i Shanghai"},
	{"amount", FT_AMOUNT, F_REQUIRED | F_NULLABLE, offsetof(struct cost, amount), NULL, NULL,
	 "Whole Danish kroner without separators, or null when the source does not state it "
	 "(reported as a warning; totals become a lower bound).", "200000"},
	{"year", FT_YEAR, 0, offsetof(struct cost, year), NULL, NULL,
	 "The year the amount is for. Required for a one-off cost.", "2007"},
	{"kind", FT_ENUM, F_REQUIRED, offsetof(struct cost, kind), schema_kind_values, NULL,
	 "max: a ceiling (\"max. 50.000 kr.\"); estimate: an expectation (\"skønnes\", "
	 "\"forventes\"); fixed: an amount that is settled (\"udgør\").", "max"},
	{"recurrence", FT_ENUM, 0, offsetof(struct cost, recurrence), schema_recurrence_values,
	 NULL, "once (default): for `year` only; yearly: every year (\"om året\"), from `year` "
	 "if given, up to `until` if given.", "yearly"},
	{"shared_with", FT_SLUGS, 0, offsetof(struct cost, shared_with), NULL, NULL,
	 "Other partners that share this one cost. Write the cost in one partner's file only; "
	 "it is shown on every partner named and counted once in totals.", "[bacs-kiskun]"},
	{"alternatives", FT_MAPS, 0, offsetof(struct cost, alternatives), NULL, &schema_alternative,
	 "Other amounts under other choices, shown as a second budget scenario.",
	 "[{label: ved fuld tid, amount: 375000}]"},
	{"until", FT_YEAR, 0, offsetof(struct cost, until), NULL, NULL,
	 "The last year of a commitment (\"indtil udgangen af 2008\").", "2008"},
	{"note", FT_STRING, 0, offsetof(struct cost, note), NULL, NULL,
	 "A remark shown under the cost line, typically the source's sentence about the cost "
	 "word for word; a note equal to the line's before it in the same table is shown once.",
	 "Udgiften til DBO udgør 400.000 kr. i 2007."},
	{"internal", FT_BOOL, 0, offsetof(struct cost, internal), NULL, NULL,
	 "true: left out of built pages unless --include-internal.", "false"},
	END};

static const struct schema schema_cost = {
	"cost", sizeof(struct cost), cost_fields, "One cost line of a partner or of a pot."};

static const struct field institution_fields[] = {
	{"name", FT_STRING, F_REQUIRED, offsetof(struct institution, name), NULL, NULL,
	 "The institution's name.", "DAROBI Center"},
	{"city", FT_STRING, 0, offsetof(struct institution, city), NULL, NULL,
	 "Where it is.", "Brasov"},
	{"note", FT_STRING, 0, offsetof(struct institution, note), NULL, NULL,
	 "What it does or who runs it.", "Drives af NUPARK"},
	END};

static const struct schema schema_institution = {
	"institution", sizeof(struct institution), institution_fields,
	"An institution or office that the cooperation runs through."};

static const struct field partner_fields[] = {
	{"name", FT_STRING, F_REQUIRED, offsetof(struct partner, name), NULL, NULL,
	 "The partner region's name as the document writes it.", "Brasov Amt"},
	{"local_name", FT_STRING, 0, offsetof(struct partner, local_name), NULL, NULL,
	 "The name in the region's own language and letters.", "Brașov"},
	{"country", FT_COUNTRY, F_REQUIRED, offsetof(struct partner, country), NULL, NULL,
	 "ISO 3166-1 alpha-2 country code, upper case (`NO` is Norway, never false).", "RO"},
	{"since", FT_YEAR, 0, offsetof(struct partner, since), NULL, NULL,
	 "The year the cooperation began, when the source states it.", "2001"},
	{"origin", FT_STRING, 0, offsetof(struct partner, origin), NULL, NULL,
	 "The former county (amt) that ran the cooperation.", "Ringkøbing Amt"},
	{"status", FT_ENUM, F_REQUIRED, offsetof(struct partner, status), partner_status_values,
	 NULL, "What the recommendation does with it; must agree with the decision that names it "
	 "(a candidate under new_partnerships is `explore`).", "continue"},
	{"focus", FT_STRINGS, 0, offsetof(struct partner, focus), NULL, NULL,
	 "Fields of cooperation, shown in the overview table.", "[energi, miljø]"},
	{"summary", FT_MARKDOWN, F_REQUIRED, offsetof(struct partner, summary), NULL, NULL,
	 "One or two sentences for the overview and the top of the partner's page; over 600 "
	 "characters is a warning.", "Samarbejde om energi og miljø."},
	{"body", FT_MARKDOWN, 0, offsetof(struct partner, body), NULL, NULL,
	 "The full text about the partner.", "|\n  Ringkøbing Amt har indgået ..."},
	{"institutions", FT_MAPS, 0, offsetof(struct partner, institutions), NULL,
	 &schema_institution, "Institutions and offices of the cooperation.",
	 "[{name: DAROBI Center, city: Brasov}]"},
	{"costs", FT_MAPS, 0, offsetof(struct partner, costs), NULL, &schema_cost,
	 "The cost lines of the cooperation.", "[{label: Aktiviteter, amount: 25000, year: 2007, kind: max}]"},
	{"internal", FT_BOOL, 0, offsetof(struct partner, internal), NULL, NULL,
	 "true: the whole partner is left out of built pages unless --include-internal.",
	 "false"},
	END};

const struct schema schema_partner = {
	"partner", sizeof(struct partner), partner_fields,
	"`partners/<slug>.yaml`: one international partner region. The slug is the file name "
	"(`[a-z0-9-]+`)."};

static const struct field meeting_fields[] = {
	{"committee", FT_STRING, F_REQUIRED, offsetof(struct meeting, committee), NULL, NULL,
	 "The political committee the recommendation goes to (\"Indstilling til ...\"); "
	 "also the body that meets, unless `body` says otherwise.", "Forberedelsesudvalget"},
	{"body", FT_STRING, 0, offsetof(struct meeting, body), NULL, NULL,
	 "The body whose meeting the appendix belongs to, when it is not `committee` (an "
	 "appendix for a sub-committee's meeting on a recommendation to another committee); "
	 "written as it reads after \"møde i\".",
	 "det midlertidige underudvalg vedrørende internationale aktiviteter i Region Midtjylland"},
	{"prepared_by", FT_STRING, 0, offsetof(struct meeting, prepared_by), NULL, NULL,
	 "Who prepared the item, shown under the masthead (leave it out when the source does not "
	 "say).", "Regionssekretariatet"},
	{"date", FT_DATE, F_REQUIRED, offsetof(struct meeting, date), NULL, NULL,
	 "The date of the meeting the appendix belongs to, YYYY-MM-DD.", "2006-10-23"},
	{"item", FT_INT, F_REQUIRED, offsetof(struct meeting, item), NULL, NULL,
	 "The agenda item number.", "18"},
	END};

static const struct schema schema_meeting = {
	"meeting", sizeof(struct meeting), meeting_fields, "The meeting the appendix belongs to."};

static const struct field new_partnerships_fields[] = {
	{"text", FT_MARKDOWN, F_REQUIRED, offsetof(struct new_partnerships, text), NULL, NULL,
	 "The section's text.", "|\n  Det foreslås, at der skabes rum for ..."},
	{"candidates", FT_SLUGS, 0, offsetof(struct new_partnerships, candidates), NULL, NULL,
	 "Partnerships under consideration (their files have status `explore`).",
	 "[vastra-gotaland]"},
	{"costs", FT_MAPS, 0, offsetof(struct new_partnerships, costs), NULL, &schema_cost,
	 "Money set aside for new partnerships: a cost table in the section, one row of the "
	 "totals.",
	 "[{label: Afsøgning af nye muligheder, amount: 200000, year: 2007, kind: max}]"},
	END};

static const struct schema schema_new_partnerships = {
	"new_partnerships", sizeof(struct new_partnerships), new_partnerships_fields,
	"The section on new partnerships."};

static const struct field decision_fields[] = {
	{"text", FT_MARKDOWN, F_REQUIRED, offsetof(struct decision, text), NULL, NULL,
	 "The decision as the recommendation words it.",
	 "at Forberedelsesudvalget indleder drøftelser med ovennævnte regioner ..."},
	{"status", FT_ENUM, F_REQUIRED, offsetof(struct decision, status), schema_status_values,
	 NULL, "What it does with the partners it names (note: names them for information only).",
	 "continue"},
	{"partners", FT_SLUGS, 0, offsetof(struct decision, partners), NULL, NULL,
	 "The partners it concerns; may be empty.", "[leningrad-oblast, shanghai]"},
	END};

static const struct schema schema_decision = {
	"decision", sizeof(struct decision), decision_fields, "One decision recommended."};

static const struct field recommendation_fields[] = {
	{"by", FT_STRING, F_REQUIRED, offsetof(struct recommendation, by), NULL, NULL,
	 "Who recommends.", "Direktionen"},
	{"decisions", FT_MAPS, F_REQUIRED, offsetof(struct recommendation, decisions), NULL,
	 &schema_decision, "The decisions, in order.",
	 "[{text: at ..., status: continue, partners: [brasov]}]"},
	END};

static const struct schema schema_recommendation = {
	"recommendation", sizeof(struct recommendation), recommendation_fields,
	"The recommendation, set apart on the page."};

static const struct field link_fields[] = {
	{"label", FT_STRING, 0, offsetof(struct link, label), NULL, NULL,
	 "The link text (default from the language file).", "Tilgængelighedserklæring"},
	{"url", FT_STRING, F_REQUIRED, offsetof(struct link, url), NULL, NULL,
	 "Where the statement is.", "https://www.was.digst.dk/rm-dk"},
	END};

static const struct schema schema_link = {
	"accessibility_statement", sizeof(struct link), link_fields,
	"The accessibility statement linked from every page's footer."};

static const struct field briefing_fields[] = {
	{"organisation", FT_STRING, 0, offsetof(struct briefing, organisation), NULL, NULL,
	 "The region or body that issues the appendix.", "Region Midtjylland"},
	{"meeting", FT_MAP, F_REQUIRED, offsetof(struct briefing, meeting), NULL, &schema_meeting,
	 "The meeting the appendix belongs to.", "{committee: Forberedelsesudvalget, date: 2006-10-23, item: 18}"},
	{"title", FT_STRING, F_REQUIRED, offsetof(struct briefing, title), NULL, NULL,
	 "The appendix's title.", "Region Midtjyllands internationale samarbejder"},
	{"subtitle", FT_STRING, 0, offsetof(struct briefing, subtitle), NULL, NULL,
	 "A line under the title.", "Indstilling til Forberedelsesudvalget ..."},
	{"language", FT_ENUM, 0, offsetof(struct briefing, language), schema_language_values, NULL,
	 "The language of labels, numbers and dates (default da; --lang overrides).", "da"},
	{"budget_year", FT_YEAR, F_REQUIRED, offsetof(struct briefing, budget_year), NULL, NULL,
	 "The year the budget columns and totals are for.", "2007"},
	{"introduction", FT_MARKDOWN, F_REQUIRED, offsetof(struct briefing, introduction), NULL,
	 NULL, "The opening text.", "|\n  Der er i de 4 amter ..."},
	{"background", FT_PROSE, 0, offsetof(struct briefing, background), NULL, NULL,
	 "\"Baggrunden for indstillingerne er\": the grounds, one item each.",
	 "- at Region Midtjylland skal være Danmarks internationale vækstregion"},
	{"considerations", FT_PROSE, 0, offsetof(struct briefing, considerations), NULL, NULL,
	 "\"Samtidig er der taget hensyn til\": what was taken into account.", "- at ..."},
	{"purposes", FT_PROSE, 0, offsetof(struct briefing, purposes), NULL, NULL,
	 "The approved purposes of the international work.", "- at styrke udvikling og vækst ..."},
	{"priorities", FT_PROSE, 0, offsetof(struct briefing, priorities), NULL, NULL,
	 "\"Endelig er der ved prioriteringen lagt vægt på\": the priorities.",
	 "- at der skabes sammenhæng i den internationale indsats"},
	{"partners_intro", FT_MARKDOWN, 0, offsetof(struct briefing, partners_intro), NULL, NULL,
	 "The sentence that introduces the list of partners.", "Det indstilles ..."},
	{"partners", FT_SLUGS, F_REQUIRED, offsetof(struct briefing, partners), NULL, NULL,
	 "The partners, in the order the appendix presents them; each has a file "
	 "partners/<slug>.yaml.", "[leningrad-oblast, nedre-schlesien]"},
	{"new_partnerships", FT_MAP, 0, offsetof(struct briefing, new_partnerships), NULL,
	 &schema_new_partnerships, "The section on new partnerships.", "{text: ..., candidates: [vastra-gotaland]}"},
	{"recommendation", FT_MAP, F_REQUIRED, offsetof(struct briefing, recommendation), NULL,
	 &schema_recommendation, "The recommendation.", "{by: Direktionen, decisions: [...]}"},
	{"accessibility_statement", FT_MAP, 0, offsetof(struct briefing, accessibility_statement),
	 NULL, &schema_link, "The accessibility statement linked from every page's footer.",
	 "{url: https://www.was.digst.dk/rm-dk}"},
	{"keywords", FT_STRINGS, 0, offsetof(struct briefing, keywords), NULL, NULL,
	 "Search words for the PDF's Keywords (what a meeting system's search finds); default: "
	 "the committee and the partners' names.",
	 "[internationale samarbejder, venskabsregioner]"},
	END};

const struct schema schema_briefing = {
	"briefing", sizeof(struct briefing), briefing_fields,
	"`briefing.yaml`: the meeting, the text of the recommendation and the order of the "
	"partners."};

/* ISO 3166-1 alpha-2, officially assigned codes, sorted. */
static const char countries[] =
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO "
	"BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ "
	"DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP "
	"GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG "
	"KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML "
	"MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE "
	"PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL "
	"SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM "
	"US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/* A binary search of the sorted list: every partner's country. */
int schema_country_known(const char *code)
{
	size_t lo = 0, hi = sizeof(countries) / 3, mid;
	int cmp;

	if (!code[0] || !code[1] || code[2])
		return 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		cmp = countries[3 * mid] != code[0] ? (unsigned char)countries[3 * mid] -
							      (unsigned char)code[0]
						     : (unsigned char)countries[3 * mid + 1] -
							      (unsigned char)code[1];
		if (!cmp)
			return 1;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

const char *schema_country_codes(void)
{
	return countries;
}

const struct schema *schema_find(const char *name)
{
	if (strcmp(name, schema_briefing.name) == 0)
		return &schema_briefing;
	if (strcmp(name, schema_partner.name) == 0)
		return &schema_partner;
	return NULL;
}

const char *schema_type_name(enum field_type t)
{
	switch (t) {
	case FT_STRING: return "text";
	case FT_MARKDOWN: return "Markdown";
	case FT_INT: return "whole number";
	case FT_YEAR: return "year";
	case FT_DATE: return "date (YYYY-MM-DD)";
	case FT_ENUM: return "one of";
	case FT_BOOL: return "true or false";
	case FT_COUNTRY: return "country code (ISO 3166-1 alpha-2)";
	case FT_AMOUNT: return "amount in whole kroner, or null";
	case FT_SLUG: return "slug";
	case FT_STRINGS: return "list of text";
	case FT_SLUGS: return "list of slugs";
	case FT_PROSE: return "list of Markdown items";
	case FT_MAP: return "mapping";
	case FT_MAPS: return "list of mappings";
	}
	return "?";
}

static void print_type(FILE *out, const struct field *f)
{
	const char *const *v;

	fputs(schema_type_name(f->type), out);
	if (f->type == FT_ENUM) {
		for (v = f->values; *v; v++)
			fprintf(out, "%s`%s`", v == f->values ? " " : ", ", *v);
	}
	if (f->type == FT_MAP || f->type == FT_MAPS)
		fprintf(out, " (`%s`, below)", f->sub->name);
}

/* Escape a table cell: pipes and newlines would break the GFM table. */
static void print_cell(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

static void print_schema(FILE *out, const struct schema *s, const struct schema **done,
			 size_t *ndone)
{
	const struct field *f;
	size_t i;

	for (i = 0; i < *ndone; i++)
		if (done[i] == s)
			return;
	done[(*ndone)++] = s;
	fprintf(out, "## `%s`\n\n%s\n\n", s->name, s->doc);
	fputs("| key | type | required | description | example |\n", out);
	fputs("|---|---|---|---|---|\n", out);
	for (f = s->fields; f->name; f++) {
		fprintf(out, "| `%s` | ", f->name);
		print_type(out, f);
		fprintf(out, " | %s | ", (f->flags & F_REQUIRED) ? "yes" : "no");
		print_cell(out, f->doc);
		fputs(" | `", out);
		print_cell(out, f->example);
		fputs("` |\n", out);
	}
	fputc('\n', out);
	for (f = s->fields; f->name; f++)
		if (f->sub)
			print_schema(out, f->sub, done, ndone);
}

void schema_print_reference(FILE *out)
{
	const struct schema *done[32];
	size_t ndone = 0;

	fputs("# briefgen content format\n\n"
	      "Generated by `briefgen schema` from the tables the validator uses.\n\n"
	      "A content folder holds `briefing.yaml` and `partners/<slug>.yaml`, UTF-8, one YAML "
	      "document each, whose top level is a mapping. Values are typed by the field, not by "
	      "YAML 1.1 guessing: `country: NO` is the text \"NO\". Write amounts as whole kroner "
	      "without separators (`50000`, not `50.000`).\n\n"
	      "A list of Markdown items (type \"list of Markdown items\") takes a plain string or "
	      "a mapping `{text: ..., internal: true}`; internal items are left out of built pages "
	      "unless `--include-internal` is given.\n\n",
	      out);
	fprintf(out, "Limits: a file is at most 256 KiB, except `briefing.yaml`, which names every "
		     "partner: it may be %d bytes larger for each file in `partners/`, up to %d MiB "
		     "(20 000 partners with slugs like `gyor-moson-sopron` fit). A file nests at most "
		     "16 levels, a mapping has at most 1000 keys; a Markdown field "
		     "is at most %d bytes; an amount is below %lld kr. Anchors, aliases, tags and "
		     "duplicate keys are refused.\n\n",
		LOAD_BRIEFING_PER_PARTNER, LOAD_MAX_BRIEFING / (1024 * 1024), SCHEMA_MAX_PROSE,
		SCHEMA_MAX_AMOUNT);
	fputs("Text: every string is checked after YAML's escapes are read. A control character "
	      "(NUL, the C0 controls but tab and line break, DEL, the C1 controls U+0080-U+009F "
	      "with NEL, and the line and paragraph separators U+2028 and U+2029) is an error in "
	      "every field, written raw or as an escape (`\\0`, `\\e`, `\\x7f`, `\\N`), "
	      "reported at the character or at its escape. A tab or line break is allowed only in "
	      "Markdown fields and lists of Markdown items; every other field (names, labels, "
	      "titles, slugs, cities, notes, keys) is one line without tabs. An invisible Unicode "
	      "format character (bidi marks, embeddings, overrides and isolates U+061C, "
	      "U+200E-U+200F, U+202A-U+202E, U+2066-U+2069; zero-width space and joiners "
	      "U+200B-U+200D; word joiner U+2060; a byte order mark U+FEFF after the start of the "
	      "file) is an error in a one-line field and a warning in Markdown, where the bidi ones "
	      "are left out of the built pages and Markdown files, so they cannot reorder the "
	      "text. Diagnostics show "
	      "such characters escaped (`\\x1b`, `\\u202e`), never raw.\n\n"
	      "Numbers: whole numbers (amounts, years, `item`) are plain digits. A leading zero "
	      "(`0450000`, `02005`), a `+` sign or `_` between digits is an error whose hint "
	      "writes the number meant: YAML 1.1 readers, which most other tools are, take "
	      "`0450000` as octal 151552, and YAML 1.2 readers take `450_000` as text.\n\n"
	      "Files: only regular files are read. A FIFO, socket, device or folder where a "
	      "content file is expected is an error naming it, at once (it is opened without "
	      "blocking, then checked). A file or folder that is a symbolic link resolving outside "
	      "the content folder (for `--templates`: outside the templates folder) is an error "
	      "before any byte of it is read; a link that stays inside is fine.\n\n",
	      out);
	/* Links, careless content, the budget of ended partnerships, bounds of
	 * output (issue 8, items 3, 5 and 9; the numbers are CONTENT_MAX_SUMMARY
	 * in model/content.h and SITE_MAX_FILE, SITE_MAX_BUILD in render/site.h,
	 * above this layer). */
	fputs("Links: a link or image in a Markdown field goes to an `http://` or `https://` "
	      "address, a `mailto:` address or a relative path (a file of the site, a "
	      "`#fragment`); any other scheme (`javascript:`, `data:`, `file:`, `vbscript:`, "
	      "`ftp:` ...) is an error at the field. `accessibility_statement.url` is an http(s) "
	      "address. In the Markdown output a URL with a character that would end the link "
	      "(`)`, a space, `<`, `>`) is written as `<...>` with spaces and angle brackets "
	      "percent-encoded, so the link stays whole.\n\n"
	      "Warnings for careless content, each at its line: a cost line that repeats an "
	      "earlier one of the same partner (or of `new_partnerships`) with the same label, "
	      "amount, year and kind (it would be counted twice); a `summary` longer than 600 "
	      "characters; a partner whose status is `terminate` (and whose decision says so) "
	      "with costs in `budget_year`.\n\n"
	      "Budget: the costs in the budget year of a partnership the recommendation ends "
	      "(status `terminate`) are shown on the partner and in a row of their own in the "
	      "totals, named in the totals' note, and counted in no total, scenario or summary; "
	      "a cost such a partner shares with one that continues stays in the totals.\n\n",
	      out);
	fprintf(out, "Output: `check` prints at most %d diagnostics of a file and %d in all, "
		     "then one line counting the rest (all are counted in the summary and the exit "
		     "status); a source line is shown once, and one longer than %d characters as a "
		     "window around the caret. A build stops with an error naming the template when "
		     "one output file passes 64 MiB or all files together pass 1 GiB, or when one "
		     "template takes more than 20 million steps to render.\n\n",
		DIAGS_PER_FILE, DIAGS_PER_RUN, DIAG_WINDOW);
	print_schema(out, &schema_briefing, done, &ndone);
	print_schema(out, &schema_partner, done, &ndone);
}
