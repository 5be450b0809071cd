#include "scaffold.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../load/loader.h"
#include "../util/alloc.h"
#include "../util/buf.h"
#include "../util/intl.h"
#include "../util/tempdir.h"
#include "../validate/jsonschema.h"
#include "../validate/schema.h"
#include "briefedit.h"
#include "fault.h"
#include "staging.h"

/* ---- the files ----------------------------------------------------------- */

static const char briefing_yaml[] =
	"# yaml-language-server: $schema=" SCAFFOLD_SCHEMA_DIR "/briefing.schema.json\n"
	"#\n"
	"# briefing.yaml: bilagets ramme – mødet, indstillingens tekst og rækkefølgen af\n"
	"# samarbejdspartnerne. Hver partner har sin egen fil i mappen partners/.\n"
	"#\n"
	"# Linjer, der begynder med #, er kommentarer og kommer ikke med i bilaget.\n"
	"# Ret teksterne herunder til jeres egne, og tjek mappen undervejs med\n"
	"#   briefgen check <mappe>        (siger præcis, hvad der mangler eller er galt)\n"
	"#   briefgen serve <mappe>        (viser bilaget i browseren, mens I skriver)\n"
	"# En editor med YAML-udvidelsen (fx VS Code) foreslår felterne og forklarer dem.\n"
	"\n"
	"# Regionen eller organet, der udsender bilaget.\n"
	"organisation: Region Eksempel\n"
	"\n"
	"# Mødet, som bilaget hører til.\n"
	"meeting:\n"
	"  # Det politiske udvalg, som indstillingen går til (\"Indstilling til ...\").\n"
	"  committee: Regionsrådet\n"
	"  # Mødets dato, skrevet ÅÅÅÅ-MM-DD.\n"
	"  date: 2025-01-20\n"
	"  # Punktets nummer på dagsordenen.\n"
	"  item: 1\n"
	"\n"
	"# Bilagets titel og en linje under den (undertitlen kan udelades).\n"
	"title: Internationale samarbejder\n"
	"subtitle: Indstilling til Regionsrådet om de internationale samarbejder\n"
	"\n"
	"# Sproget i overskrifter, tal og datoer: da eller en.\n"
	"language: da\n"
	"\n"
	"# Året, som budgettets kolonner og totaler gælder.\n"
	"budget_year: 2025\n"
	"\n"
	"# Indledningen. Teksten står under \"|\", rykket to mellemrum ind; et tomt\n"
	"# linjeskift skiller afsnit. Teksten er Markdown: *kursiv*, **fed**, [link](https://...).\n"
	"introduction: |\n"
	"  Regionen har en række internationale samarbejder. Her beskrives, hvilke der\n"
	"  foreslås videreført.\n"
	"\n"
	"# Baggrunden for indstillingen: ét punkt for hver linje, der begynder med \"- \".\n"
	"# considerations, purposes og priorities skrives på samme måde.\n"
	"background:\n"
	"  - at samarbejdet skal styrke den regionale udvikling\n"
	"\n"
	"# Sætningen før listen over partnere.\n"
	"partners_intro: >-\n"
	"  Det indstilles, at samarbejdet med følgende regioner videreføres:\n"
	"\n"
	"# Partnerne i den rækkefølge, bilaget viser dem. Hver partner har en fil\n"
	"# partners/<navn>.yaml, hvor <navn> er det, der står her: små bogstaver, tal\n"
	"# og bindestreg (fx vastra-gotaland for Västra Götaland).\n"
	"partners:\n"
	"  - " SCAFFOLD_EXAMPLE_SLUG "\n"
	"\n"
	"# Nye samarbejder, der overvejes. Tilføj en kandidat med\n"
	"#   briefgen new --partner <navn> --name \"Regionens navn\" --country SE <mappe>\n"
	"# som skriver partnerens fil og sætter navnet under candidates.\n"
	"new_partnerships:\n"
	"  text: |\n"
	"    Der kan blive tale om nye samarbejder, hvor det gavner regionens udvikling.\n"
	"\n"
	"# Indstillingen: hvem der indstiller, og beslutningerne i rækkefølge.\n"
	"# Hver beslutning har en tekst, en status og de partnere, den gælder:\n"
	"#   continue   samarbejdet videreføres\n"
	"#   terminate  samarbejdet ophører\n"
	"#   explore    et nyt samarbejde undersøges\n"
	"#   note       partnerne nævnes kun til orientering\n"
	"# Hver partner under partners nævnes af præcis én beslutning, og status i\n"
	"# partnerens egen fil skal være den samme som beslutningens.\n"
	"recommendation:\n"
	"  by: Direktionen\n"
	"  decisions:\n"
	"    - text: at samarbejdet med ovennævnte regioner videreføres\n"
	"      status: continue\n"
	"      partners:\n"
	"        - " SCAFFOLD_EXAMPLE_SLUG "\n";

#define PARTNER_SCHEMA_LINE \
	"# yaml-language-server: $schema=../" SCAFFOLD_SCHEMA_DIR "/partner.schema.json\n"

static const char example_partner_yaml[] =
	PARTNER_SCHEMA_LINE
	"#\n"
	"# En samarbejdspartner. Filens navn uden .yaml (" SCAFFOLD_EXAMPLE_SLUG ") er det\n"
	"# navn, briefing.yaml bruger om partneren. Skift navnet på filen og i\n"
	"# briefing.yaml, når I skriver om en rigtig partner.\n"
	"\n"
	"# Regionens navn, som dokumentet skriver det.\n"
	"name: Eksempelregionen\n"
	"# Landekoden med store bogstaver (ISO 3166-1): SE, DE, PL, RO, CN ...\n"
	"country: SE\n"
	"# Året, samarbejdet begyndte (kan udelades).\n"
	"since: 2010\n"
	"# continue, terminate eller explore: det samme som beslutningen, der nævner partneren.\n"
	"status: continue\n"
	"# Samarbejdsområderne, som oversigten viser.\n"
	"focus:\n"
	"  - erhvervsudvikling\n"
	"  - uddannelse\n"
	"# Et par sætninger til oversigten og toppen af partnerens side (højst 600 tegn).\n"
	"summary: >-\n"
	"  Samarbejde om erhvervsudvikling og uddannelse.\n"
	"# Hele teksten om partneren (Markdown; kan udelades).\n"
	"body: |\n"
	"  Samarbejdet begyndte i 2010 og omfatter udveksling af elever og virksomheder.\n"
	"# Udgifterne, én for hver linje, der begynder med \"- \":\n"
	"#   amount      hele kroner uden punktum (50000, ikke 50.000); null, når kilden\n"
	"#               ikke nævner beløbet\n"
	"#   kind        max (\"højst\"), estimate (\"skønnes\") eller fixed (\"udgør\")\n"
	"#   recurrence  once (kun i year) eller yearly (hvert år)\n"
	"costs:\n"
	"  - label: Aktiviteter\n"
	"    amount: 50000\n"
	"    year: 2025\n"
	"    kind: max\n";

/* A one-line text as a YAML double-quoted scalar. */
static void add_quoted(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

static char *candidate_yaml(const struct scaffold_partner *p)
{
	struct buf b = BUF_INIT;
	char *summary = xasprintf("Et samarbejde med %s undersøges.", p->name);

	buf_adds(&b, PARTNER_SCHEMA_LINE
		 "#\n"
		 "# Et nyt samarbejde, der undersøges: kandidat under new_partnerships i\n"
		 "# briefing.yaml, derfor status explore.\n"
		 "\n"
		 "# Regionens navn, som dokumentet skriver det.\n"
		 "name: ");
	add_quoted(&b, p->name);
	buf_addf(&b, "\n# Landekoden med store bogstaver (ISO 3166-1).\n"
		     "country: %s\n"
		     "status: explore\n"
		     "# Et par sætninger til oversigten og toppen af partnerens side.\n"
		     "summary: ",
		 p->country);
	add_quoted(&b, summary);
	buf_addc(&b, '\n');
	free(summary);
	return buf_detach(&b, NULL);
}

/* ---- writing --------------------------------------------------------------- */

/* Write a new file path (which must not exist) whole and flush it. */
static int write_new(const char *path, const char *data, size_t len, char **err)
{
	int fd = fault_openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	if (fd < 0) {
		*err = xasprintf(_("cannot create %s: %s"), path, strerror(errno));
		return -1;
	}
	if (fault_write_all(fd, data, len) < 0 || fault_fsync(fd) < 0) {
		*err = xasprintf(_("cannot write %s: %s"), path, strerror(errno));
		fault_close(fd);
		unlink(path);
		return -1;
	}
	if (fault_close(fd) < 0) {
		*err = xasprintf(_("cannot write %s: %s"), path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

static int write_str(const char *dir, const char *name, const char *text, char **err)
{
	char *path = xasprintf("%s/%s", dir, name);
	int rc = write_new(path, text, strlen(text), err);

	free(path);
	return rc;
}

static int make_dir(const char *dir, const char *name, char **err)
{
	char *path = xasprintf("%s/%s", dir, name);
	int rc = fault_mkdirat(AT_FDCWD, path, 0755);

	if (rc < 0)
		*err = xasprintf(_("cannot create the folder %s: %s"), path, strerror(errno));
	free(path);
	return rc;
}

/* dir/.schema/briefing.schema.json and partner.schema.json, new. */
static int write_schemas(const char *dir, char **err)
{
	static const struct schema *const kinds[] = {&schema_briefing, &schema_partner};
	char *name, *text;
	size_t i;
	int rc = 0;

	for (i = 0; i < 2 && rc == 0; i++) {
		name = xasprintf(SCAFFOLD_SCHEMA_DIR "/%s.schema.json", kinds[i]->name);
		text = jsonschema_text(kinds[i], NULL);
		rc = write_str(dir, name, text, err);
		free(text);
		free(name);
	}
	return rc;
}

static int write_folder(const char *tmp, char **err)
{
	if (write_str(tmp, "briefing.yaml", briefing_yaml, err) < 0 ||
	    make_dir(tmp, "partners", err) < 0 ||
	    write_str(tmp, "partners/" SCAFFOLD_EXAMPLE_SLUG ".yaml", example_partner_yaml,
		      err) < 0 ||
	    make_dir(tmp, SCAFFOLD_SCHEMA_DIR, err) < 0 || write_schemas(tmp, err) < 0)
		return -1;
	return 0;
}

/* Is dir free for a new content folder: missing, or an empty folder? */
static int dir_free(const char *dir, char **err)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	bool empty = true;

	if (lstat(dir, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		*err = xasprintf(_("cannot read %s: %s"), dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		*err = xasprintf(_("%s exists and is not a folder"), dir);
		return -1;
	}
	d = opendir(dir);
	if (!d) {
		*err = xasprintf(_("cannot read %s: %s"), dir, strerror(errno));
		return -1;
	}
	while (empty && (de = readdir(d)))
		empty = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
	closedir(d);
	if (!empty) {
		*err = xasprintf(_("%s exists and is not empty"), dir);
		return -1;
	}
	return 0;
}

int scaffold_create(const char *dir, char **err)
{
	char *tmp = staging_sibling(dir, ".new-XXXXXX", err);
	mode_t mask;

	if (!tmp)
		return -1;
	if (dir_free(dir, err) < 0 || !mkdtemp(tmp)) {
		if (!*err)
			*err = xasprintf(_("cannot create a folder beside %s: %s"), dir,
					 strerror(errno));
		free(tmp);
		return -1;
	}
	mask = umask(0);
	umask(mask);
	if (chmod(tmp, 0777 & ~mask) < 0 || write_folder(tmp, err) < 0 ||
	    fault_renameat(AT_FDCWD, tmp, AT_FDCWD, dir) < 0) {
		if (!*err)
			*err = xasprintf(_("cannot create %s: %s"), dir, strerror(errno));
		tempdir_remove(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

/* ---- a partner ------------------------------------------------------------- */

/* The letters of the partners' languages that a slug writes in ASCII. */
static const char *transliterate(const char **text)
{
	static const char *const latin[][2] = {
		{"æ", "ae"}, {"ø", "oe"}, {"å", "aa"}, {"Æ", "ae"}, {"Ø", "oe"}, {"Å", "aa"},
		{"ä", "a"}, {"ö", "o"}, {"ü", "u"}, {"Ä", "a"}, {"Ö", "o"}, {"Ü", "u"},
		{"ß", "ss"}, {"é", "e"}, {"è", "e"}, {"ê", "e"}, {"É", "e"}, {"á", "a"},
		{"à", "a"}, {"â", "a"}, {"ă", "a"}, {"ą", "a"}, {"ó", "o"}, {"ő", "o"},
		{"ô", "o"}, {"í", "i"}, {"î", "i"}, {"ú", "u"}, {"ű", "u"}, {"ș", "s"},
		{"ş", "s"}, {"ś", "s"}, {"š", "s"}, {"ț", "t"}, {"ţ", "t"}, {"ł", "l"},
		{"ź", "z"}, {"ż", "z"}, {"ž", "z"}, {"ć", "c"}, {"č", "c"}, {"ń", "n"},
		{"ę", "e"}, {"ě", "e"}, {"ř", "r"}, {"ý", "y"}, {"Ș", "s"}, {"Ş", "s"},
		{"Ł", "l"}, {"Š", "s"}, {"Ž", "z"}, {"Č", "c"}, {"Ő", "o"}, {"Ú", "u"}};
	size_t i, n;

	for (i = 0; i < sizeof(latin) / sizeof(latin[0]); i++) {
		n = strlen(latin[i][0]);
		if (!strncmp(*text, latin[i][0], n)) {
			*text += n;
			return latin[i][1];
		}
	}
	return NULL;
}

char *scaffold_slug_from(const char *text)
{
	struct buf b = BUF_INIT;
	const char *add;
	unsigned char c;

	while (*text) {
		if ((add = transliterate(&text))) {
			buf_adds(&b, add);
			continue;
		}
		c = (unsigned char)*text++;
		while (c >= 0x80 && ((unsigned char)*text & 0xC0) == 0x80)
			text++;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			buf_addc(&b, (char)c);
		else if (c >= 'A' && c <= 'Z')
			buf_addc(&b, (char)(c - 'A' + 'a'));
		else if (b.len && b.ptr[b.len - 1] != '-')
			buf_addc(&b, '-');
	}
	while (b.len && b.ptr[b.len - 1] == '-')
		b.ptr[--b.len] = '\0';
	return buf_detach(&b, NULL);
}

static bool slug_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

static bool one_line(const char *s)
{
	bool filled = false;

	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
		filled |= *s != ' ';
	}
	return filled;
}

static int check_slug(const struct scaffold_partner *p, char **err, char **hint)
{
	char *meant;

	if (slug_ok(p->slug))
		return 0;
	*err = xasprintf(_("'%s' is not a valid slug (lower-case letters, digits, '-')"), p->slug);
	meant = scaffold_slug_from(p->slug);
	if (!*meant) {
		free(meant);
		meant = scaffold_slug_from(p->name ? p->name : "");
	}
	*hint = *meant ? xasprintf(_("use --partner %s"), meant)
		       : xasprintf(_("use lower-case letters, digits and '-', e.g. vastra-gotaland"));
	free(meant);
	return -1;
}

static int check_country(const char *cc, char **err, char **hint)
{
	char up[3] = {0};

	if (schema_country_known(cc))
		return 0;
	*err = xasprintf(_("'%s' is not an ISO 3166-1 alpha-2 country code"), cc);
	if (strlen(cc) == 2) {
		up[0] = (char)(cc[0] >= 'a' && cc[0] <= 'z' ? cc[0] - 32 : cc[0]);
		up[1] = (char)(cc[1] >= 'a' && cc[1] <= 'z' ? cc[1] - 32 : cc[1]);
	}
	*hint = schema_country_known(up)
			? xasprintf(_("write it in capitals: --country %s"), up)
			: xasprintf(_("use the ISO 3166-1 alpha-2 code, e.g. DK, SE, PL, RO, CN"));
	return -1;
}

static int check_partner(const struct scaffold_partner *p, char **err, char **hint)
{
	if (check_slug(p, err, hint) < 0)
		return -1;
	if (!one_line(p->name)) {
		*err = xasprintf(_("--name must be one line of text"));
		*hint = xasprintf(_("e.g. --name \"Västra Götaland\""));
		return -1;
	}
	return check_country(p->country, err, hint);
}

/* Is slug already in briefing's partners or candidates?  1 yes, 0 no,
 * -1 when the text does not load. */
static int named(const char *text, size_t len, const char *slug)
{
	struct arena arena;
	struct diags diags;
	const struct node *root, *np, *lists[2];
	size_t i, k;
	bool found = false;

	arena_init(&arena);
	diags_init(&diags);
	/* text was read under briefing.yaml's limit (edited_briefing). */
	root = load_text_limit("briefing.yaml", text, len, LOAD_MAX_BRIEFING, &arena, &diags);
	np = root ? node_get(root, "new_partnerships") : NULL;
	lists[0] = root ? node_get(root, "partners") : NULL;
	lists[1] = np && np->kind == NODE_MAP ? node_get(np, "candidates") : NULL;
	for (k = 0; k < 2; k++)
		for (i = 0; lists[k] && lists[k]->kind == NODE_SEQ && i < lists[k]->n; i++)
			found |= lists[k]->items[i]->kind == NODE_SCALAR &&
				 !strcmp(lists[k]->items[i]->value, slug);
	diags_release(&diags);
	arena_release(&arena);
	return root ? found : -1;
}

/* Replace path with data by a rename, keeping path's mode. */
static int replace_file(const char *path, const char *data, size_t len, mode_t mode,
			char **err)
{
	char *tmp = xasprintf("%s.new-%ld", path, (long)getpid());
	int rc;

	unlink(tmp);
	rc = write_new(tmp, data, len, err);
	if (rc == 0 && (chmod(tmp, mode & 07777) < 0 ||
			fault_renameat(AT_FDCWD, tmp, AT_FDCWD, path) < 0)) {
		*err = xasprintf(_("cannot replace %s: %s"), path, strerror(errno));
		unlink(tmp);
		rc = -1;
	}
	free(tmp);
	return rc;
}

/* dir/.schema/ with this briefgen's schemas (made, or written again). */
static int refresh_schemas(const char *dir, char **err)
{
	static const struct schema *const kinds[] = {&schema_briefing, &schema_partner};
	char *sdir = xasprintf("%s/" SCAFFOLD_SCHEMA_DIR, dir), *path, *text;
	size_t i, len;
	int rc = 0;

	if (fault_mkdirat(AT_FDCWD, sdir, 0755) < 0 && errno != EEXIST) {
		*err = xasprintf(_("cannot create the folder %s: %s"), sdir, strerror(errno));
		rc = -1;
	}
	for (i = 0; i < 2 && rc == 0; i++) {
		path = xasprintf("%s/%s.schema.json", sdir, kinds[i]->name);
		text = jsonschema_text(kinds[i], &len);
		rc = replace_file(path, text, len, 0644, err);
		free(text);
		free(path);
	}
	free(sdir);
	return rc;
}

/* partners/<slug>.yaml: must not exist, nor the .yml the loader would see. */
static int partner_free(const char *dir, const char *slug, char **err, char **hint)
{
	static const char *const ext[] = {"yaml", "yml"};
	struct stat st;
	char *path;
	size_t i;

	for (i = 0; i < 2; i++) {
		path = xasprintf("%s/partners/%s.%s", dir, slug, ext[i]);
		if (lstat(path, &st) == 0) {
			*err = xasprintf(_("partner '%s' exists already: %s"), slug, path);
			*hint = xasprintf(_("choose another slug, or edit that file"));
			free(path);
			return -1;
		}
		free(path);
	}
	return 0;
}

static int write_partner(const char *dir, const struct scaffold_partner *p, char **err)
{
	char *pdir = xasprintf("%s/partners", dir), *path, *text;
	int rc = 0;

	if (fault_mkdirat(AT_FDCWD, pdir, 0755) < 0 && errno != EEXIST) {
		*err = xasprintf(_("cannot create the folder %s: %s"), pdir, strerror(errno));
		rc = -1;
	}
	if (rc == 0) {
		path = xasprintf("%s/%s.yaml", pdir, p->slug);
		text = candidate_yaml(p);
		rc = write_new(path, text, strlen(text), err);
		free(text);
		free(path);
	}
	free(pdir);
	return rc;
}

/* The new text of briefing.yaml (at path) naming p, or NULL. */
static char *edited_briefing(const char *path, const struct scaffold_partner *p, size_t *len,
			     mode_t *mode, char **err, char **hint)
{
	struct stat st;
	char *text, *out = NULL;
	size_t n;

	text = load_read_file(path, load_limit_for(path), &n);
	if (!text || stat(path, &st) < 0) {
		*err = xasprintf(_("cannot read %s: %s"), path, strerror(errno));
		*hint = xasprintf(_("give the content folder that holds briefing.yaml"));
		free(text);
		return NULL;
	}
	*mode = st.st_mode;
	switch (named(text, n, p->slug)) {
	case -1:
		*err = xasprintf(_("%s does not load"), path);
		*hint = xasprintf(_("run briefgen check and fix it first"));
		break;
	case 1:
		*err = xasprintf(_("'%s' is already named in %s"), p->slug, path);
		*hint = xasprintf(_("choose another slug"));
		break;
	default:
		out = briefedit_add_candidate(text, n, p->slug, p->name, len, err);
		if (!out)
			*hint = xasprintf(_("add '%s' under new_partnerships.candidates by hand"),
					  p->slug);
	}
	free(text);
	return out;
}

int scaffold_add_partner(const char *dir, const struct scaffold_partner *p, char **err,
			 char **hint)
{
	char *path, *text, *ppath;
	size_t len;
	mode_t mode;
	int rc = -1;

	*hint = NULL;
	if (check_partner(p, err, hint) < 0 || partner_free(dir, p->slug, err, hint) < 0)
		return -1;
	path = xasprintf("%s/briefing.yaml", dir);
	text = edited_briefing(path, p, &len, &mode, err, hint);
	if (text && refresh_schemas(dir, err) == 0 && write_partner(dir, p, err) == 0) {
		rc = replace_file(path, text, len, mode, err);
		if (rc < 0) {
			ppath = xasprintf("%s/partners/%s.yaml", dir, p->slug);
			unlink(ppath);
			free(ppath);
		}
	}
	free(text);
	free(path);
	return rc;
}
