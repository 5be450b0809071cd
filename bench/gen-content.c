/*
 * gen-content: write a synthetic briefgen content folder with N partners.
 *
 *   gen-content N OUTDIR [--seed-slugs] [--hugo HUGO_CONTENT_DIR]
 *
 * OUTDIR gets briefing.yaml and partners/<slug>.yaml (each partner file is
 * 2-4 KB of Danish prose with the partners' own letters in names and titles,
 * focus lists, institutions, 2-4 costs of every kind, some shared with the
 * next partner, some with alternatives, a few with no amount).  Everything
 * comes from a fixed pseudo-random sequence: the same N gives the same bytes,
 * and partner i is the same whatever N (except whether it shares a cost with
 * partner i+1, which must exist).
 *
 * Slugs are short by default (wro-17, spb-3: the place's city in three letters
 * and the partner's number) and briefing.yaml lists them in wrapped flow
 * lists (`partners: [wro-1, sze-2, ...]`).  --seed-slugs makes them like the
 * seed's instead: the region's hyphenated name, numbered from its second
 * partner on (gyor-moson-sopron, gyor-moson-sopron-2, lower-silesia-17; 14-15
 * characters on average at N = 10 000), listed in block lists one per line, as
 * a secretary writes them (`  - gyor-moson-sopron`), in `partners` and again
 * in a decision.  The partner files are the same but for the slugs.
 *
 * --hugo also writes the per-partner content files of the comparison Hugo site
 * (bench/hugo/): _index.md, budget.md, print.md and partners/<slug>.md, whose
 * front matter only names the slug; Hugo reads the data from OUTDIR itself.
 *
 * Not part of briefgen's build: bench/run compiles it with cc.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BUDGET_YEAR 2007

/* ---- deterministic randomness ------------------------------------------ */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_seed(uint64_t seed)
{
	rng_state = seed * 0x2545f4914f6cdd1dULL + 0x1234567ULL;
	(void)rng_next();
}

/* Uniform in [0, n). */
static unsigned rnd(unsigned n)
{
	return (unsigned)(rng_next() % n);
}

/* True with probability pct/100. */
static int chance(unsigned pct)
{
	return rnd(100) < pct;
}

#define PICK(arr) ((arr)[rnd(sizeof(arr) / sizeof((arr)[0]))])
#define COUNT(arr) (sizeof(arr) / sizeof((arr)[0]))

/* ---- growable string ---------------------------------------------------- */

struct str {
	char *p;
	size_t n, cap;
};

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("gen-content: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void s_reserve(struct str *s, size_t more)
{
	if (s->n + more + 1 <= s->cap)
		return;
	while (s->n + more + 1 > s->cap)
		s->cap = s->cap ? s->cap * 2 : 4096;
	s->p = realloc(s->p, s->cap);
	if (!s->p)
		die("out of memory");
}

static void s_add(struct str *s, const char *t)
{
	size_t l = strlen(t);

	s_reserve(s, l);
	memcpy(s->p + s->n, t, l + 1);
	s->n += l;
}

static void s_printf(struct str *s, const char *fmt, ...)
{
	va_list ap;
	int l;

	va_start(ap, fmt);
	l = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (l < 0)
		die("vsnprintf");
	s_reserve(s, (size_t)l);
	va_start(ap, fmt);
	vsnprintf(s->p + s->n, (size_t)l + 1, fmt, ap);
	va_end(ap);
	s->n += (size_t)l;
}

static void s_clear(struct str *s)
{
	s->n = 0;
	if (s->p)
		s->p[0] = '\0';
}

/* ---- YAML output helpers ------------------------------------------------ */

/* A double-quoted YAML scalar. */
static void y_quoted(struct str *s, const char *t)
{
	s_add(s, "\"");
	for (; *t; t++) {
		if (*t == '"' || *t == '\\') {
			char e[3] = { '\\', *t, 0 };
			s_add(s, e);
		} else {
			char c[2] = { *t, 0 };
			s_add(s, c);
		}
	}
	s_add(s, "\"");
}

/* A folded block scalar (">-") wrapped at about 88 columns, indented ind. */
static void y_folded(struct str *s, const char *t, int ind)
{
	int col = 0;
	const char *w = t;

	s_add(s, ">-\n");
	while (*w) {
		const char *e = strchr(w, ' ');
		size_t l = e ? (size_t)(e - w) : strlen(w);

		if (col == 0) {
			s_printf(s, "%*s", ind, "");
			col = ind;
		} else if (col + 1 + (int)l > 88) {
			s_printf(s, "\n%*s", ind, "");
			col = ind;
		} else {
			s_add(s, " ");
			col++;
		}
		s_reserve(s, l);
		memcpy(s->p + s->n, w, l);
		s->n += l;
		s->p[s->n] = '\0';
		col += (int)l;
		w += l;
		while (*w == ' ')
			w++;
	}
	s_add(s, "\n");
}

/* A literal block scalar ("|"); t's lines are indented by ind. */
static void y_literal(struct str *s, const char *t, int ind)
{
	s_add(s, "|\n");
	while (*t) {
		const char *e = strchr(t, '\n');
		size_t l = e ? (size_t)(e - t) : strlen(t);

		if (l)
			s_printf(s, "%*s%.*s\n", ind, "", (int)l, t);
		else
			s_add(s, "\n");
		t += l;
		if (*t == '\n')
			t++;
	}
}

/* ---- the vocabulary ----------------------------------------------------- */

struct place {
	const char *name;    /* as a Danish text writes it */
	const char *local;   /* in the region's own language and letters */
	const char *city;    /* the main city, local spelling */
	const char *slug;    /* the slug's prefix: three letters for the main city */
	const char *seed;    /* --seed-slugs: the region's name as a seed-like slug */
};

struct country {
	const char *code;
	const char *title;   /* a project title in the local language */
	const struct place *places;
	size_t nplaces;
};

static const struct place pl[] = {
	{ "Nedre Schlesien", "Dolnośląskie", "Wrocław", "wro", "lower-silesia" },
	{ "Lillepolen", "Małopolska", "Kraków", "krk", "lesser-poland" },
	{ "Łódź-regionen", "Łódzkie", "Łódź", "lod", "lodz-region" },
	{ "Vestpommern", "Zachodniopomorskie", "Szczecin", "szc", "west-pomerania" },
	{ "Święty Krzyż", "Świętokrzyskie", "Kielce", "kie", "holy-cross" },
	{ "Storpolen", "Wielkopolska", "Poznań", "poz", "greater-poland" },
	{ "Ermland-Masuren", "Warmińsko-Mazurskie", "Olsztyn", "ols", "warmia-masuria" },
	{ "Pommern", "Pomorskie", "Gdańsk", "gda", "pomerania" },
};
static const struct place hu[] = {
	{ "Györ-Moson-Sopron Amt", "Győr-Moson-Sopron", "Győr", "gyo", "gyor-moson-sopron" },
	{ "Bacs-Kiskun Amt", "Bács-Kiskun", "Kecskemét", "kec", "bacs-kiskun" },
	{ "Hajdu-Bihar Amt", "Hajdú-Bihar", "Debrecen", "deb", "hajdu-bihar" },
	{ "Veszprem Amt", "Veszprém", "Veszprém", "ves", "veszprem" },
	{ "Fejer Amt", "Fejér", "Székesfehérvár", "szf", "fejer-megye" },
	{ "Csongrad Amt", "Csongrád-Csanád", "Szeged", "sze", "csongrad" },
	{ "Borsod Amt", "Borsod-Abaúj-Zemplén", "Miskolc", "mis", "borsod-abauj" },
	{ "Tolna Amt", "Tolna", "Szekszárd", "szk", "tolna-megye" },
};
static const struct place ro[] = {
	{ "Brasov Amt", "Brașov", "Brașov", "bra", "brasov" },
	{ "Timis Amt", "Timiș", "Timișoara", "tim", "timis-judet" },
	{ "Constanta Amt", "Constanța", "Constanța", "cta", "constanta" },
	{ "Iasi Amt", "Iași", "Iași", "ias", "iasi-judet" },
	{ "Sibiu Amt", "Sibiu", "Sibiu", "sib", "sibiu-judet" },
	{ "Mures Amt", "Mureș", "Târgu Mureș", "tgm", "mures-judet" },
	{ "Bistrita-Nasaud Amt", "Bistrița-Năsăud", "Bistrița", "bis", "bistrita-nasaud" },
};
static const struct place cz[] = {
	{ "Pilsen-regionen", "Plzeňský kraj", "Plzeň", "plz", "pilsen-region" },
	{ "Sydbøhmen", "Jihočeský kraj", "České Budějovice", "cbu", "south-bohemia" },
	{ "Hradec Kralove-regionen", "Královéhradecký kraj", "Hradec Králové", "hkr", "hradec-kralove" },
	{ "Usti-regionen", "Ústecký kraj", "Ústí nad Labem", "uli", "usti-region" },
	{ "Vysočina", "Kraj Vysočina", "Jihlava", "jih", "vysocina" },
	{ "Olomouc-regionen", "Olomoucký kraj", "Olomouc", "olo", "olomouc-region" },
	{ "Liberec-regionen", "Liberecký kraj", "Liberec", "lib", "liberec-region" },
};
static const struct place se[] = {
	{ "Västra Götaland", "Västra Götalandsregionen", "Göteborg", "got", "vastra-gotaland" },
	{ "Skåne", "Region Skåne", "Malmö", "mal", "skane" },
	{ "Örebro län", "Region Örebro län", "Örebro", "ore", "orebro-lan" },
	{ "Jönköpings län", "Region Jönköpings län", "Jönköping", "jon", "jonkoping-lan" },
	{ "Västerbotten", "Region Västerbotten", "Umeå", "ume", "vasterbotten" },
	{ "Norrbotten", "Region Norrbotten", "Luleå", "lul", "norrbotten" },
	{ "Östergötland", "Region Östergötland", "Linköping", "lin", "ostergotland" },
};
static const struct place ru[] = {
	{ "Leningrad Oblast", "Ленинградская область", "Санкт-Петербург", "spb", "leningrad-oblast" },
	{ "Pskov Oblast", "Псковская область", "Псков", "psk", "pskov-oblast" },
	{ "Novgorod Oblast", "Новгородская область", "Великий Новгород", "nov", "novgorod-oblast" },
	{ "Kaliningrad Oblast", "Калининградская область", "Калининград", "kgd", "kaliningrad" },
	{ "Murmansk Oblast", "Мурманская область", "Мурманск", "mmk", "murmansk-oblast" },
	{ "Karelen", "Республика Карелия", "Петрозаводск", "ptz", "karelia" },
};
static const struct place cn[] = {
	{ "Shanghai Byprovins", "上海市", "上海", "sha", "shanghai" },
	{ "Jiangsu-provinsen", "江苏省", "南京", "nkg", "jiangsu" },
	{ "Zhejiang-provinsen", "浙江省", "杭州", "hgh", "zhejiang" },
	{ "Guangdong-provinsen", "广东省", "广州", "can", "guangdong" },
	{ "Shandong-provinsen", "山东省", "济南", "tna", "shandong" },
	{ "Tianjin Byprovins", "天津市", "天津", "tsn", "tianjin" },
};
static const struct place de[] = {
	{ "Schleswig-Holstein", "Schleswig-Holstein", "Kiel", "kel", "schleswig-holstein" },
	{ "Mecklenburg-Vorpommern", "Mecklenburg-Vorpommern", "Schwerin", "swe", "mecklenburg" },
	{ "Niedersachsen", "Niedersachsen", "Hannover", "han", "lower-saxony" },
	{ "Brandenburg", "Brandenburg", "Potsdam", "pot", "brandenburg" },
};

static const struct country countries[] = {
	{ "PL", "Współpraca regionalna na rzecz rozwoju – źródła, łąki i żeglówki", pl, COUNT(pl) },
	{ "HU", "Együttműködés a fejlődésért – különböző szőlőültetvények", hu, COUNT(hu) },
	{ "RO", "Cooperare și dezvoltare – ținuturi și școli", ro, COUNT(ro) },
	{ "CZ", "Spolupráce a rozvoj – řeky, školství a životní prostředí", cz, COUNT(cz) },
	{ "SE", "Samarbete för hållbar utveckling – kåren, älvarna och öarna", se, COUNT(se) },
	{ "RU", "Сотрудничество и развитие регионов", ru, COUNT(ru) },
	{ "CN", "合作与发展：绿色城市与医疗康复", cn, COUNT(cn) },
	{ "DE", "Grenzüberschreitende Zusammenarbeit – Küste, Häfen und Straßen", de, COUNT(de) },
};

static const char *origins[] = {
	"Århus Amt", "Ringkøbing Amt", "Viborg Amt", "Vejle Amt", "Århus Amt og Viborg Amt",
};

static const char *focuses[] = {
	"vedvarende energi", "miljø og klima", "sundhedsområdet", "rehabilitering",
	"erhvervsudvikling", "kulturudveksling", "uddannelse og forskning", "fødevarer",
	"turisme", "innovation", "handicapområdet", "social- og sundhedsuddannelser",
	"bioteknologi", "vandmiljø", "kompetenceudvikling", "søfart og havne",
	"landbrug og fødevaresikkerhed", "demokratiudvikling", "ældreområdet",
	"samarbejde mellem højere læreanstalter", "affaldshåndtering", "grøn omstilling",
};

static const char *inst_kinds[] = {
	"Det Tekniske Universitet i %s", "Regionshospitalet i %s", "Handelskammeret i %s",
	"Det Danske Kulturinstitut i %s", "Videncenter for energi i %s",
	"Erhvervsskolen i %s", "Miljøstyrelsen i %s", "Universitetet i %s",
};

static const char *inst_notes[] = {
	"videncenter med fokus på %s",
	"samarbejdspartner siden aftalens indgåelse; særlig styrke inden for %s",
	"drives i fællesskab med de regionale myndigheder og arbejder med %s",
	"har udvekslet studerende og lærere med højere læreanstalter i Midtjylland om %s",
	"tæt kontakt til erhvervslivet, bl.a. på området %s",
};

/*
 * Sentences.  Placeholders: %N name, %L local name, %C city, %O origin,
 * %F a focus, %Y the year the cooperation began, %I an institution, %S slug,
 * %T the local project title, %P a population.
 */
static const char *sentences[] = {
	"%O har siden %Y haft en officiel samarbejdsaftale med %N, og der er etableret samarbejde mellem videncentre i begge regioner.",
	"Samarbejdet har især drejet sig om %F, hvor parterne har udvekslet erfaringer og gennemført fælles projekter.",
	"Regionen har omkring %P indbyggere, og hovedbyen %C er et vigtigt center for uddannelse, forskning og erhvervsliv.",
	"Der er gennem årene gennemført studieture, praktikophold og udveksling af medarbejdere på både det sociale område og sundhedsområdet.",
	"Det vurderes, at samarbejdet kan bidrage til Region Midtjyllands mål om at være Danmarks internationale vækstregion.",
	"Projekterne har i vid udstrækning været finansieret af EU-midler, bl.a. fra Interreg og strukturfondene, og amtets egne udgifter har været begrænsede.",
	"Lokalt hedder regionen *%L*, og samarbejdet er forankret hos de regionale myndigheder i %C.",
	"**Erfaringerne** fra samarbejdet om %F kan overføres til nye områder som fødevaresikkerhed, grøn omstilling og digital forvaltning.",
	"Der er etableret kontakt til %I, som kan blive en vigtig partner for virksomheder og forskningsmiljøer i Midtjylland.",
	"Både private virksomheder og offentlige institutioner har vist interesse for at deltage – især inden for %F.",
	"Det foreslås, at samarbejdet fremover koncentreres om færre og mere målrettede aktiviteter med en klar gevinst for begge parter.",
	"Mere om aktiviteterne findes på [regionens hjemmeside](https://example.org/partnere/%S).",
	"Samarbejdet har givet værdifulde personlige og faglige forbindelser, og flere af kontakterne er siden blevet nationalt engagerede – som medlemmer af parlamentet, ministre eller ansatte i statslige styrelser.",
	"Udvekslingen af elever og lærere mellem gymnasier, erhvervsskoler og højere læreanstalter har været en særlig styrke.",
	"Miljøarbejdet har omfattet rensning af spildevand, affaldshåndtering og overvågning af søer og vandløb omkring %C.",
	"Region Midtjylland vil i %B vurdere, om samarbejdet lever op til de godkendte formål for det internationale arbejde.",
	"Kulturudvekslingen – koncerter, udstillinger og venskabsbyforbindelser – har skabt mellemfolkelig forståelse på tværs af grænser.",
	"Der er endvidere mulighed for at udbygge samarbejdet om %F gennem fælles ansøgninger til EU’s rammeprogram for forskning.",
	"Det fælles projekt har den lokale titel »%T«, og partnerne i %C har foreslået et seminar om resultaterne.",
	"Aktivitetsniveauet har været svingende, og ikke alle aftaler har været lige gensidigt udbytterige; det gælder især de senere år.",
	"Sundhedsområdet er en ny opgave for regionen, og erfaringerne fra %N med %F kan være til gavn for hospitalerne i Århus, Viborg og Holstebro.",
	"Der er i %Y afholdt en fælles konference i %C med over 200 deltagere fra myndigheder, virksomheder og foreninger.",
};

static const char *doc_focus(void)
{
	return PICK(focuses);
}

struct partner {
	char slug[96];
	char name[160];
	const struct country *country;
	const struct place *place;
	const char *origin;
	int since;       /* 0: not stated */
	int status;      /* 0 continue, 1 terminate, 2 explore */
	unsigned population;
	char inst[4][160];
	int ninst;
};

static const char *status_names[] = { "continue", "terminate", "explore" };

/* --seed-slugs: every partner's slug, made in main before any partner is
 * written (a partner's number among those of its region needs them all);
 * NULL for the short slugs. */
static char (*seed_slugs)[96];

static uint64_t partner_seed(size_t i)
{
	return 0xb41ef9e17ULL ^ ((uint64_t)i * 0x100000001b3ULL);
}

/* Partner i's identity: drawn first from its own sequence, so that any
 * partner's name and slug can be computed alone (for shared_with). */
static void partner_identity(size_t i, struct partner *p)
{
	char tmp[160];
	int k;

	memset(p, 0, sizeof *p);
	rng_seed(partner_seed(i));
	p->country = &countries[rnd(COUNT(countries))];
	p->place = &p->country->places[rnd((unsigned)p->country->nplaces)];
	if (seed_slugs)
		memcpy(p->slug, seed_slugs[i], sizeof p->slug);
	else
		snprintf(p->slug, sizeof p->slug, "%s-%zu", p->place->slug, i + 1);
	snprintf(p->name, sizeof p->name, "%s %zu", p->place->name, i + 1);
	p->origin = PICK(origins);
	p->since = chance(80) ? 1990 + (int)rnd(17) : 0;
	k = (int)rnd(100);
	p->status = k < 80 ? 0 : k < 92 ? 1 : 2;
	p->population = 300000 + rnd(4000) * 1000;
	p->ninst = 1 + (int)rnd(4);
	for (k = 0; k < p->ninst; k++) {
		snprintf(tmp, sizeof tmp, "%s", PICK(inst_kinds));
		snprintf(p->inst[k], sizeof p->inst[k], tmp,
			 k == 0 ? p->place->city : p->place->name);
	}
}

/* Expand a sentence template for partner p. */
static void expand(struct str *out, const char *t, const struct partner *p)
{
	for (; *t; t++) {
		if (*t != '%' || !t[1]) {
			char c[2] = { *t, 0 };
			s_add(out, c);
			continue;
		}
		switch (*++t) {
		case 'N': s_add(out, p->name); break;
		case 'L': s_add(out, p->place->local); break;
		case 'C': s_add(out, p->place->city); break;
		case 'O': s_add(out, p->origin); break;
		case 'F': s_add(out, doc_focus()); break;
		case 'Y': s_printf(out, "%d", p->since ? p->since : 2000); break;
		case 'B': s_printf(out, "%d", BUDGET_YEAR); break;
		case 'I': s_add(out, p->inst[rnd((unsigned)p->ninst)]); break;
		case 'S': s_add(out, p->slug); break;
		case 'T': s_add(out, p->country->title); break;
		case 'P': {
			unsigned m = p->population / 1000000, r = p->population / 1000 % 1000;
			if (m)
				s_printf(out, "%u,%u mio.", m, r / 100);
			else
				s_printf(out, "%u.000", r);
			break;
		}
		default: {
			char c[3] = { '%', *t, 0 };
			s_add(out, c);
		}
		}
	}
}

/* 1234567 -> "1.234.567", as a Danish text writes amounts. */
static const char *kr(unsigned v, char buf[32])
{
	char tmp[32];
	int l = snprintf(tmp, sizeof tmp, "%u", v), i, o = 0;

	for (i = 0; i < l; i++) {
		if (i && (l - i) % 3 == 0)
			buf[o++] = '.';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

static unsigned amount(unsigned lo, unsigned hi)
{
	return (lo + rnd((hi - lo) / 5000 + 1) * 5000);
}

static void write_file(const char *path, const struct str *s)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		die("%s: %s", path, strerror(errno));
	if (s->n && fwrite(s->p, 1, s->n, f) != s->n)
		die("%s: write failed", path);
	if (fclose(f) != 0)
		die("%s: %s", path, strerror(errno));
}

static void mkdir_p(const char *path)
{
	char buf[4096];
	char *q;

	snprintf(buf, sizeof buf, "%s", path);
	for (q = buf + 1; *q; q++)
		if (*q == '/') {
			*q = '\0';
			if (mkdir(buf, 0777) != 0 && errno != EEXIST)
				die("%s: %s", buf, strerror(errno));
			*q = '/';
		}
	if (mkdir(buf, 0777) != 0 && errno != EEXIST)
		die("%s: %s", buf, strerror(errno));
}

static void emit_cost(struct str *y, const char *label, int amt_null, unsigned amt, int year,
		      const char *kind, const char *rec, int until, const char *shared,
		      const char *alt_label, unsigned alt_amt, const char *note, int internal)
{
	s_add(y, "  - label: ");
	y_quoted(y, label);
	s_add(y, "\n");
	if (amt_null)
		s_add(y, "    amount: null\n");
	else
		s_printf(y, "    amount: %u\n", amt);
	if (year)
		s_printf(y, "    year: %d\n", year);
	s_printf(y, "    kind: %s\n", kind);
	s_printf(y, "    recurrence: %s\n", rec);
	if (until)
		s_printf(y, "    until: %d\n", until);
	if (shared)
		s_printf(y, "    shared_with:\n      - %s\n", shared);
	if (alt_label) {
		s_add(y, "    alternatives:\n      - label: ");
		y_quoted(y, alt_label);
		s_printf(y, "\n        amount: %u\n", alt_amt);
	}
	if (internal)
		s_add(y, "    internal: true\n");
	if (note) {
		s_add(y, "    note: ");
		y_folded(y, note, 6);
	}
}

static void gen_partner(size_t i, size_t n, struct partner *p, struct str *head)
{
	struct str t = { 0 }, body = { 0 }, tail = { 0 };
	struct str *y = head;
	struct partner next;
	unsigned k, nfocus, nparas, target, ncosts;
	int null_done = 0;

	/* The neighbour first: partner_identity reseeds the generator. */
	if (i + 1 < n)
		partner_identity(i + 1, &next);
	partner_identity(i, p);

	s_clear(y);
	s_printf(y, "# Synthetic partner %zu of %zu, written by bench/gen-content.\n", i + 1, n);
	s_add(y, "name: ");
	y_quoted(y, p->name);
	s_add(y, "\nlocal_name: ");
	y_quoted(y, p->place->local);
	s_printf(y, "\ncountry: %s\n", p->country->code);
	if (p->since)
		s_printf(y, "since: %d\n", p->since);
	s_add(y, "origin: ");
	y_quoted(y, p->origin);
	s_printf(y, "\nstatus: %s\n", status_names[p->status]);

	nfocus = 2 + rnd(4);
	s_add(y, "focus:\n");
	for (k = 0; k < nfocus; k++) {
		s_add(y, "  - ");
		y_quoted(y, focuses[(i * 7 + k * 5 + rnd(3)) % COUNT(focuses)]);
		s_add(y, "\n");
	}

	/* summary: one or two sentences */
	s_clear(&t);
	expand(&t, sentences[0], p);
	if (chance(60)) {
		s_add(&t, " ");
		expand(&t, PICK(sentences), p);
	}
	s_add(y, "summary: ");
	y_folded(y, t.p, 2);

	/* institutions and costs first (into tail), so that the body can fill the file
	 * up to its drawn size */
	y = &tail;
	s_add(y, "institutions:\n");
	for (k = 0; k < (unsigned)p->ninst; k++) {
		s_add(y, "  - name: ");
		y_quoted(y, p->inst[k]);
		s_add(y, "\n");
		if (k == 0) {
			s_add(y, "    city: ");
			y_quoted(y, p->place->city);
			s_add(y, "\n");
		}
		if (chance(70)) {
			char note[256];
			snprintf(note, sizeof note, PICK(inst_notes), doc_focus());
			s_add(y, "    note: ");
			y_quoted(y, note);
			s_add(y, "\n");
		}
	}

	/* costs: 2-4 */
	ncosts = 2 + rnd(3);
	s_add(y, "costs:\n");
	for (k = 0; k < ncosts; k++) {
		char label[256], note[512], kb[32];
		int amt_null = !null_done && chance(4);
		unsigned amt;

		null_done |= amt_null;
		s_clear(&t);
		switch (k == 0 ? 0 : 1 + rnd(4)) {
		case 0: {
			/* the cooperation itself; every 11th partner shares it with the next */
			int share = i % 11 == 3 && i + 1 < n;

			amt = amount(10000, 300000);
			if (share)
				snprintf(label, sizeof label, "Fælles sekretariat for %s og %s", p->name,
					 next.name);
			else
				snprintf(label, sizeof label, "Samarbejdet med %s", p->name);
			snprintf(note, sizeof note,
				 "Udgifter i forbindelse med samarbejdet skønnes at blive max. %s kr. i %d.",
				 kr(amt, kb), BUDGET_YEAR);
			emit_cost(y, label, amt_null, amt, BUDGET_YEAR, "max", "once", 0,
				  share ? next.slug : NULL, NULL, 0, note, 0);
			break;
		}
		case 1:
			amt = amount(20000, 250000);
			snprintf(label, sizeof label, "Projektmidler til %s", doc_focus());
			emit_cost(y, label, amt_null, amt, BUDGET_YEAR, "estimate", "yearly",
				  chance(50) ? BUDGET_YEAR + 1 + (int)rnd(3) : 0, NULL, NULL, 0,
				  chance(50) ? "Beløbet forventes at dække rejser, tolkning og mødeudgifter." : NULL,
				  i % 50 == 7);
			break;
		case 2: {
			int alt = chance(30);

			amt = amount(100000, 400000);
			snprintf(label, sizeof label, "Kontor i %s ved ½-tidsansættelse", p->place->city);
			snprintf(note, sizeof note,
				 "Udgiften til kontoret udgør %s kr. om året ved ½-tidsansættelse.",
				 kr(amt, kb));
			emit_cost(y, label, amt_null, amt, 0, "fixed", "yearly", 0, NULL,
				  alt ? "ved fuld tid" : NULL, amt * 2 - amt / 8 / 5000 * 5000,
				  note, 0);
			break;
		}
		case 3:
			amt = amount(10000, 120000);
			emit_cost(y, "Studieture og udveksling", amt_null, amt,
				  BUDGET_YEAR + (int)rnd(2), "estimate", "once", 0, NULL, NULL, 0,
				  NULL, 0);
			break;
		default:
			amt = amount(25000, 200000);
			snprintf(label, sizeof label, "Støtte til %s", p->inst[0]);
			emit_cost(y, label, amt_null, amt, BUDGET_YEAR, "fixed", "yearly",
				  BUDGET_YEAR + 1, NULL, NULL, 0,
				  "Der er indgået aftale om støtte indtil udgangen af 2008.", 0);
			break;
		}
	}
	y = head;
	/* body: sentences until the file reaches its drawn size (2-4 KB);
	 * sometimes a list */
	target = 2150 + rnd(1750);
	target = target > y->n + tail.n + 400 ? target - (unsigned)(y->n + tail.n) - 8 : 400;
	nparas = 0;
	while (body.n < target) {
		unsigned ns = 2 + rnd(3), j;

		if (nparas)
			s_add(&body, "\n\n");
		if (nparas == 2 && chance(35)) {
			s_add(&body, "Aktiviteterne i perioden omfattede:\n\n");
			for (j = 0; j < 2 + rnd(3); j++) {
				s_add(&body, "- ");
				expand(&body, "%F", p);
				s_add(&body, "\n");
			}
			s_add(&body, "\n");
		}
		for (j = 0; j < ns && body.n < target; j++) {
			if (j)
				s_add(&body, " ");
			expand(&body, nparas == 0 && j == 0 ? sentences[0] : PICK(sentences), p);
		}
		nparas++;
	}
	s_add(y, "body: ");
	y_literal(y, body.p, 2);
	s_add(y, tail.p);
	free(t.p);
	free(body.p);
	free(tail.p);
}

/*
 * A flow sequence of the slugs of ps (those with status st, or all when st is
 * -1), wrapped at about 88 columns with continuation lines indented ind: the
 * short-slug content of the figures before issue 10, made when every file,
 * briefing.yaml too, had to stay under 256 KiB (a block list of seed-like
 * slugs passed it at about N = 5 750; see y_block_slugs).
 */
static void y_slugs(struct str *y, const struct partner *ps, size_t n, int st, int ind)
{
	size_t i, col = (size_t)ind + 10;   /* after "partners: [" */
	int first = 1;

	s_add(y, "[");
	for (i = 0; i < n; i++) {
		size_t l;

		if (st >= 0 && ps[i].status != st)
			continue;
		l = strlen(ps[i].slug);
		if (!first)
			s_add(y, ",");
		if (!first && col + l + 2 > 88) {
			s_printf(y, "\n%*s", ind, "");
			col = (size_t)ind;
		} else if (!first) {
			s_add(y, " ");
			col += 2;
		}
		s_add(y, ps[i].slug);
		col += l;
		first = 0;
	}
	s_add(y, "]\n");
}

/* A block list of the same slugs, one "- slug" line each at indentation
 * ind, after the key's line (the seed's style); "[]" when there are none. */
static void y_block_slugs(struct str *y, const struct partner *ps, size_t n, int st, int ind)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += st < 0 || ps[i].status == st;
	if (!k) {
		s_add(y, "[]\n");
		return;
	}
	s_add(y, "\n");
	for (i = 0; i < n; i++)
		if (st < 0 || ps[i].status == st)
			s_printf(y, "%*s- %s\n", ind, "", ps[i].slug);
}

/* The list of slugs in the chosen style. */
static void y_list(struct str *y, const struct partner *ps, size_t n, int st, int ind)
{
	if (seed_slugs)
		y_block_slugs(y, ps, n, st, ind);
	else
		y_slugs(y, ps, n, st, ind);
}

static void gen_briefing(size_t n, const struct partner *ps, struct str *y)
{
	static const char *background[] = {
		"at Region Midtjylland skal være Danmarks internationale vækstregion",
		"at det internationale arbejde i Region Midtjylland skal være et strategisk redskab, som skal medvirke til en positiv økonomisk udvikling og medvirke til at styrke innovation og hæve kompetenceniveauet i hele regionen",
		"at Region Midtjylland i tæt samspil med Vækstforum og Vækstforums parter sætter globaliseringen på dagsordenen",
		"at så mange som muligt inddrages i det internationale arbejde – både i Region Midtjyllands egen organisation og blandt eksterne samarbejdspartnere",
	};
	static const char *considerations[] = {
		"at der i budgetforliget vedr. budget 2007 fokuseres på fremme af vækst og bæredygtighed, adgang til den nyeste viden og støtte til forskningsmiljøerne",
		"at Forberedelsesudvalget har godkendt følgende formål for det internationale arbejde:",
	};
	static const char *purposes[] = {
		"at styrke udvikling og vækst i virksomheder og organisationer i Region Midtjylland gennem internationalt arbejde",
		"at sikre et højt fagligt niveau blandt medarbejderne og sikre, at ydelserne fra Region Midtjylland er på et højt internationalt niveau",
		"at styrke mellemfolkelig forståelse gennem samarbejde på tværs af grænser, og",
		"at sikre Region Midtjylland politisk indflydelse i organisationer, som arbejder med regionale problemstillinger på europæisk niveau",
	};
	static const char *priorities[] = {
		"at der skabes sammenhæng i den internationale indsats",
		"at der sker ændringer fra de nuværende amters arbejdsområder til Region Midtjyllands ansvarsområder, og at dette giver mulighed for nytænkning",
		"at globaliseringen sætter yderligere fokus på den geografiske placering af internationale samarbejdspartnere",
		"at EU-midler til forskning og udvikling samt EU’s strukturfondsmidler anvendes *aktivt* til at styrke den regionale udvikling",
	};
	static const char *decision_text[] = {
		"at Forberedelsesudvalget indleder drøftelser med ovennævnte regioner med henblik på videreførelse af samarbejdet",
		"at de regioner, hvormed samarbejdet ophører, tilsendes et brev fra Regionsrådsformanden med begrundelse for ophør af samarbejdet primo 2007",
		"at mulighederne for et nyt samarbejde med de nævnte regioner undersøges nærmere i løbet af 2007",
	};
	size_t i;
	int st;

	s_clear(y);
	s_printf(y, "# Synthetic briefing with %zu partners, written by bench/gen-content.\n", n);
	s_add(y, "organisation: Region Midtjylland\n"
		 "meeting:\n"
		 "  committee: Forberedelsesudvalget\n"
		 "  prepared_by: >-\n"
		 "    det midlertidige underudvalg vedrørende internationale aktiviteter i Region\n"
		 "    Midtjylland\n"
		 "  date: 2006-10-23\n"
		 "  item: 18\n"
		 "title: Region Midtjyllands internationale samarbejder\n");
	s_printf(y, "subtitle: Syntetisk bilag med %zu samarbejdspartnere til måling af briefgen.\n", n);
	s_printf(y, "language: da\nbudget_year: %d\n", BUDGET_YEAR);
	s_add(y, "introduction: |\n"
		 "  Der er i de 4 amter, som indgår i Region Midtjylland, gennem en længere årrække udført et godt og betydningsfuldt internationalt arbejde, som på mange måder har bidraget til amternes udvikling – både når det gælder udvikling af medarbejdernes kvalifikationer og styrkelse af samarbejdet mellem offentlige og private parter.\n"
		 "\n"
		 "  Med etableringen af Region Midtjylland sker der samtidig et markant skifte – dels etableres en region med godt 1,2 mio. indbyggere med en række styrkepositioner, dels etableres et Vækstforum med repræsentanter for region, kommuner, erhvervsliv og uddannelsesinstitutioner.\n"
		 "\n"
		 "  Af ressourcemæssige årsager er det nødvendigt at foretage en **udvælgelse**: ikke alle aftaler har været lige gensidigt udbytterige, og nogle har ændret indhold og aktivitetsniveau over tid.\n");
#define LIST(key, arr)                                  \
	do {                                            \
		s_add(y, key ":\n");                    \
		for (i = 0; i < COUNT(arr); i++) {      \
			s_add(y, "  - ");               \
			y_folded(y, arr[i], 4);         \
		}                                       \
	} while (0)
	LIST("background", background);
	s_add(y, "  - text: at oplysningerne om de enkelte samarbejder er indhentet hos de fire amter\n"
		 "    internal: true\n");
	LIST("considerations", considerations);
	LIST("purposes", purposes);
	LIST("priorities", priorities);
#undef LIST
	s_add(y, "partners_intro: >-\n"
		 "  Det indstilles til Forberedelsesudvalget, at der indledes drøftelser med følgende\n"
		 "  samarbejdspartnere med henblik på videreførelse af samarbejdet i Region Midtjylland:\n");
	s_add(y, "partners:");
	if (!seed_slugs)
		s_add(y, " ");
	y_list(y, ps, n, -1, 2);
	s_add(y, "new_partnerships:\n"
		 "  text: |\n"
		 "    Det foreslås, at der skabes rum for at etablere nye samarbejder, hvor det af hensyn til udviklingen af Region Midtjylland vurderes at være hensigtsmæssigt – fx i Västra Götaland, Skåne eller Østersøregionen.\n"
		 "  costs:\n"
		 "    - label: Afsøgning af nye muligheder\n"
		 "      amount: 200000\n"
		 "      year: 2007\n"
		 "      kind: max\n"
		 "      recurrence: once\n");
	s_add(y, "recommendation:\n"
		 "  by: Direktionen\n"
		 "  decisions:\n");
	for (st = 0; st < 3; st++) {
		s_add(y, "    - text: ");
		y_folded(y, decision_text[st], 8);
		s_printf(y, "      status: %s\n      partners:%s", status_names[st],
			 seed_slugs ? "" : " ");
		y_list(y, ps, n, st, 8);
	}
	s_add(y, "accessibility_statement:\n"
		 "  label: Tilgængelighedserklæring\n"
		 "  url: https://www.was.digst.dk/rm-dk\n");
}

static void gen_hugo(const char *dir, size_t n, const struct partner *ps)
{
	char path[4096];
	struct str s = { 0 };
	size_t i;

	snprintf(path, sizeof path, "%s/partners", dir);
	mkdir_p(path);
	s_add(&s, "---\ntitle: Bilag\n---\n");
	snprintf(path, sizeof path, "%s/_index.md", dir);
	write_file(path, &s);
	s_clear(&s);
	s_add(&s, "---\ntitle: Budget\nlayout: budget\noutputs: [HTML]\n---\n");
	snprintf(path, sizeof path, "%s/budget.md", dir);
	write_file(path, &s);
	s_clear(&s);
	s_add(&s, "---\ntitle: Udskriftsversion\nlayout: print\noutputs: [HTML]\n---\n");
	snprintf(path, sizeof path, "%s/print.md", dir);
	write_file(path, &s);
	for (i = 0; i < n; i++) {
		s_clear(&s);
		s_printf(&s, "---\npartner: %s\nweight: %zu\n---\n", ps[i].slug, i + 1);
		snprintf(path, sizeof path, "%s/partners/%s.md", dir, ps[i].slug);
		write_file(path, &s);
	}
	free(s.p);
}

int main(int argc, char **argv)
{
	const char *out, *hugo = NULL;
	char path[4096], *end;
	struct partner *ps;
	struct str y = { 0 };
	unsigned long long n;
	size_t i, total = 0, lo = (size_t)-1, hi = 0, slugs;

	int a, seed = 0;

	for (a = 3; a < argc; a++) {
		if (strcmp(argv[a], "--seed-slugs") == 0)
			seed = 1;
		else if (strcmp(argv[a], "--hugo") == 0 && a + 1 < argc)
			hugo = argv[++a];
		else
			argc = 0;   /* a usage error */
	}
	if (argc < 3) {
		fprintf(stderr, "usage: gen-content N OUTDIR [--seed-slugs] [--hugo HUGO_CONTENT_DIR]\n");
		return 2;
	}
	errno = 0;
	n = strtoull(argv[1], &end, 10);
	if (errno || *end || n < 1 || n > 1000000)
		die("N must be a whole number from 1 to 1000000");
	out = argv[2];

	ps = calloc((size_t)n, sizeof *ps);
	if (!ps)
		die("out of memory");
	if (seed) {
		/* Each region's first partner gets its bare name, the next ones
		 * -2, -3, ... in the order of the partners. */
		size_t nplaces = 0, c, k;
		const struct place **seen;
		size_t *count;

		for (c = 0; c < COUNT(countries); c++)
			nplaces += countries[c].nplaces;
		seen = calloc(nplaces, sizeof *seen);
		count = calloc(nplaces, sizeof *count);
		seed_slugs = calloc((size_t)n, sizeof *seed_slugs);
		if (!seen || !count || !seed_slugs)
			die("out of memory");
		for (i = 0; i < n; i++) {
			partner_identity(i, &ps[i]);
			for (k = 0; seen[k] && seen[k] != ps[i].place; k++)
				;
			seen[k] = ps[i].place;
			if (count[k]++)
				snprintf(seed_slugs[i], sizeof seed_slugs[i], "%s-%zu", ps[i].place->seed,
					 count[k]);
			else
				snprintf(seed_slugs[i], sizeof seed_slugs[i], "%s", ps[i].place->seed);
		}
		free(seen);
		free(count);
	}
	snprintf(path, sizeof path, "%s/partners", out);
	mkdir_p(path);
	for (i = 0; i < n; i++) {
		gen_partner(i, (size_t)n, &ps[i], &y);
		snprintf(path, sizeof path, "%s/partners/%s.yaml", out, ps[i].slug);
		write_file(path, &y);
		total += y.n;
		lo = y.n < lo ? y.n : lo;
		hi = y.n > hi ? y.n : hi;
	}
	gen_briefing((size_t)n, ps, &y);
	snprintf(path, sizeof path, "%s/briefing.yaml", out);
	write_file(path, &y);
	if (hugo)
		gen_hugo(hugo, (size_t)n, ps);
	for (i = 0, slugs = 0; i < n; i++)
		slugs += strlen(ps[i].slug);
	fprintf(stderr, "gen-content: %llu partners in %s: partner files %zu-%zu bytes (mean %zu), briefing.yaml %zu bytes, %s slugs of %.1f characters on average\n",
		n, out, lo, hi, total / (size_t)n, y.n, seed ? "seed-like" : "short",
		(double)slugs / (double)n);
	free(y.p);
	free(ps);
	free(seed_slugs);
	return 0;
}
