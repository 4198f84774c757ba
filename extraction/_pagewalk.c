/*
 * extraction._pagewalk: one Lexbor parse and one iterative walk per HTML page.
 *
 * What extraction.html needs from a page, gathered in C so that no Python code runs per
 * DOM node or per link: title, <base href>, visible text (boilerplate subtrees skipped)
 * and, per a[href] link in document order, pointers to its element, href and rel, its page
 * region and heading chain. The page keeps its document; Page.links then resolves every
 * href and makes Python objects (URL, anchor text with its img alt / title / aria-label
 * fallback, the sentence around the link, ...) only for the links it returns: on crawl
 * pages the ~10 % that leave the site.
 *
 * Lexbor is the engine selectolax ships: its shared object exports the Lexbor C API, so
 * the functions are resolved with dlopen/dlsym at import (no headers, no link-time
 * dependency). The few struct fields read directly (node links, attribute list, text
 * data) are checked against Lexbor's accessor functions on a probe document at import;
 * a mismatch fails the import instead of reading garbage. The walk never recurses, so
 * deeply nested pages cannot overflow the C stack; every string gathered is bounded.
 *
 * Beside the walk, small helpers keep per-link and per-byte loops of the hot path out of
 * the interpreter: utf8_scan (UTF-8 check + '<' count before parsing), Page.links (URL
 * resolution, registered domains, limits, the internal/external split, link ids, anchors
 * and the sentence around each link kept), url_hash (CRC-32), stopword_counts (language
 * guess) and find (WARC overrun check).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <dlfcn.h>
#include <stdint.h>
#include <string.h>

/* ---- Lexbor structures (selectolax/lexbor.pxd of the bundled version) ---------------- */

typedef unsigned char lxb_char_t;
typedef unsigned int lxb_status_t;
typedef uintptr_t lxb_tag_id_t;

typedef struct lxb_dom_node lxb_dom_node_t;
struct lxb_dom_node {
    void *events;
    uintptr_t local_name;
    uintptr_t prefix;
    uintptr_t ns;
    void *owner_document;
    lxb_dom_node_t *next;
    lxb_dom_node_t *prev;
    lxb_dom_node_t *parent;
    lxb_dom_node_t *first_child;
    lxb_dom_node_t *last_child;
    void *user;
    int type;
};

typedef struct {
    lxb_char_t *data;
    size_t length;
} lexbor_str_t;

typedef struct {
    lxb_dom_node_t node;
    lexbor_str_t data;
} lxb_dom_character_data_t;

typedef struct lxb_dom_attr lxb_dom_attr_t;
struct lxb_dom_attr {
    lxb_dom_node_t node;
    uintptr_t upper_name;
    uintptr_t qualified_name;
    lexbor_str_t *value;
    void *owner;
    lxb_dom_attr_t *next;
    lxb_dom_attr_t *prev;
};

typedef void lxb_html_document_t;

enum { NODE_ELEMENT = 1, NODE_TEXT = 3 };

/* ---- Lexbor functions, resolved at import ------------------------------------------- */

static lxb_html_document_t *(*doc_create)(void);
static lxb_html_document_t *(*doc_destroy)(lxb_html_document_t *);
static lxb_status_t (*doc_parse)(lxb_html_document_t *, const lxb_char_t *, size_t);
static lxb_dom_node_t *(*doc_body)(lxb_html_document_t *);
static lxb_dom_node_t *(*doc_head)(lxb_html_document_t *);
static lxb_dom_node_t *(*doc_root)(lxb_html_document_t *);
static lxb_dom_attr_t *(*first_attribute)(lxb_dom_node_t *);
static const lxb_char_t *(*attr_qualified_name)(lxb_dom_attr_t *, size_t *);
static const lxb_char_t *(*attr_value)(lxb_dom_attr_t *, size_t *);
static const lxb_char_t *(*element_qualified_name)(lxb_dom_node_t *, size_t *);
static lxb_dom_node_t *(*node_first_child)(lxb_dom_node_t *);
static lxb_dom_node_t *(*node_next)(lxb_dom_node_t *);
static lxb_dom_node_t *(*node_parent)(lxb_dom_node_t *);
static lxb_tag_id_t (*node_tag_id)(lxb_dom_node_t *);
static int (*node_type)(lxb_dom_node_t *);

/* ---- limits (mirror extraction/html.py) ---------------------------------------------- */

#define MAX_ANCHOR_CHARS 300
#define MAX_HEADING_CHARS 200
#define MAX_TITLE_CHARS 1000
#define MAX_BLOCK_CHARS 20000
#define BLOCK_LOOKUP_STEPS 8

/* ---- tag ids, found at import by parsing a probe document --------------------------- */

enum {
    TG_TEXT, TG_A, TG_H1, TG_H2, TG_H3, TG_H4, TG_H5, TG_H6, TG_NAV, TG_HEADER, TG_FOOTER, TG_ASIDE,
    TG_BODY, TG_HTML, TG_HEAD, TG_TITLE, TG_BASE, TG_IMG, TG_SCRIPT, TG_STYLE, TG_NOSCRIPT,
    TG_TEMPLATE, TG_SVG, TG_IFRAME, TG_OBJECT, TG_P, TG_LI, TG_TD, TG_TH, TG_DD, TG_DT, TG_DIV,
    TG_SECTION, TG_ARTICLE, TG_BLOCKQUOTE, TG_FIGCAPTION, TG_CAPTION, TG_MAIN, TG_COUNT
};
static const char *TAG_NAMES[TG_COUNT] = {
    "#text", "a", "h1", "h2", "h3", "h4", "h5", "h6", "nav", "header", "footer", "aside",
    "body", "html", "head", "title", "base", "img", "script", "style", "noscript",
    "template", "svg", "iframe", "object", "p", "li", "td", "th", "dd", "dt", "div",
    "section", "article", "blockquote", "figcaption", "caption", "main",
};
static uintptr_t TAG[TG_COUNT];

static const char PROBE_HTML[] =
    "<html><head><title>T</title><base href=\"/b\"><style>s</style>"
    "<script>x</script><noscript>n</noscript><template>t</template></head>"
    "<body><nav><a href=\"/x\" rel=\"N\" class=\"c\" data-k>A<img alt=\"i\"></a></nav>"
    "<header><h1>1</h1><h2>2</h2><h3>3</h3><h4>4</h4><h5>5</h5><h6>6</h6></header>"
    "<main><section><article><blockquote><p>p</p></blockquote></article></section></main>"
    "<ul><li>l</li></ul><dl><dt>t</dt><dd>d</dd></dl><div>d</div>"
    "<figure><figcaption>f</figcaption></figure>"
    "<table><caption>c</caption><tr><th>h</th><td>d</td></tr></table>"
    "<aside>a</aside><footer>f</footer><iframe></iframe><object></object><svg></svg>"
    "</body></html>";

/* Attribute kinds the walk reads, by qualified name. */
enum { A_OTHER, A_HREF, A_ROLE, A_ID, A_CLASS, A_REL, A_TITLE, A_ARIA_LABEL, A_ALT };
static const struct {
    const char *name;
    size_t len;
    int kind;
} ATTR_NAMES[] = {
    {"href", 4, A_HREF}, {"role", 4, A_ROLE}, {"id", 2, A_ID}, {"class", 5, A_CLASS},
    {"rel", 3, A_REL}, {"title", 5, A_TITLE}, {"aria-label", 10, A_ARIA_LABEL},
    {"alt", 3, A_ALT},
};

/* Regions, as Python strings shared by every link (interned at import). */
enum { R_NONE, R_NAV, R_HEADER, R_FOOTER, R_ASIDE, R_MAIN, R_COUNT };
static const char *REGION_NAMES[R_COUNT] = {"", "nav", "header", "footer", "aside", "main"};
static PyObject *REGION_STR[R_COUNT];
static PyObject *EMPTY_STR;

/* ---- growable byte buffer ------------------------------------------------------------ */

typedef struct {
    char *data;
    size_t len, cap;
} Buf;

static int buf_reserve(Buf *b, size_t extra) {
    if (b->len + extra <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra) {
        if (cap > ((size_t)PY_SSIZE_T_MAX) / 2) {
            PyErr_NoMemory();
            return -1;
        }
        cap *= 2;
    }
    char *data = PyMem_Realloc(b->data, cap);
    if (data == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    b->data = data;
    b->cap = cap;
    return 0;
}

static inline int buf_add(Buf *b, const void *data, size_t len) {
    if (buf_reserve(b, len) < 0) return -1;
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return 0;
}

static void buf_free(Buf *b) {
    PyMem_Free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

static PyObject *buf_str(const Buf *b) {
    if (b->len == 0) {
        Py_INCREF(EMPTY_STR);
        return EMPTY_STR;
    }
    return PyUnicode_DecodeUTF8(b->data, (Py_ssize_t)b->len, "replace");
}



/* ---- a hash of bytes (stopword and public-suffix tables) ------------------------------ */
static inline uint64_t bytes_hash(const char *data, size_t len) {
    uint64_t h = 0x243F6A8885A308D3ULL ^ len;
    size_t at = 0;
    for (; at + 8 <= len; at += 8) {
        uint64_t word;
        memcpy(&word, data + at, 8);
        h = (h ^ word) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
    }
    uint64_t tail = 0;
    memcpy(&tail, data + at, len - at);
    h = (h ^ tail) * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 32);
}

/* ---- words of bytes --------------------------------------------------------------- */
/* Eight bytes at a time (SWAR). Each test is exact as a yes/no for the whole word: a
 * borrow that could flag a wrong byte starts only at a byte that is a true hit. */
#define SW_ONES 0x0101010101010101ULL
#define SW_HIGHS 0x8080808080808080ULL
static inline uint64_t sw_load(const char *s) {
    uint64_t v;
    memcpy(&v, s, 8);
    return v;
}
static inline uint64_t sw_zero(uint64_t v) { return (v - SW_ONES) & ~v & SW_HIGHS; }
static inline uint64_t sw_byte(uint64_t v, unsigned char b) { return sw_zero(v ^ (SW_ONES * b)); }
/* any byte below n (n <= 128; bytes >= 0x80 never count) */
static inline uint64_t sw_below(uint64_t v, unsigned char n) {
    return (v - SW_ONES * n) & ~v & SW_HIGHS;
}

/* ---- UTF-8 and Python's notion of whitespace ----------------------------------------- */

/* Length of the UTF-8 sequence at s (1 for a stray byte) and its code point. */
static inline size_t utf8_next(const lxb_char_t *s, size_t len, uint32_t *cp) {
    lxb_char_t c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (n == 1 || n > len) {
        *cp = 0xFFFD;
        return 1;
    }
    uint32_t value = c & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        value = (value << 6) | (s[i] & 0x3F);
    }
    *cp = value;
    return n;
}

/* str.isspace() of one code point (what str.split and str.strip use). */
static inline int is_space(uint32_t cp) {
    if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F);
    return Py_UNICODE_ISSPACE((Py_UCS4)cp);
}

/* Start of the code point that ends at s[end - 1]. */
static inline size_t utf8_back(const lxb_char_t *s, size_t end) {
    size_t at = end - 1, steps = 0;
    while (at > 0 && steps < 3 && (s[at] & 0xC0) == 0x80) {
        at--;
        steps++;
    }
    return at;
}

/* Appends s with leading and trailing whitespace removed (str.strip()). */
static int add_stripped(Buf *b, const lxb_char_t *s, size_t len) {
    size_t start = 0, end = len;
    uint32_t cp;
    while (start < end) {
        size_t n = utf8_next(s + start, end - start, &cp);
        if (!is_space(cp)) break;
        start += n;
    }
    while (end > start) {
        size_t at = utf8_back(s, end);
        utf8_next(s + at, end - at, &cp);
        if (!is_space(cp)) break;
        end = at;
    }
    return buf_add(b, s + start, end - start);
}

/* Builds " ".join(text.split())[:cap] incrementally, one text piece at a time. */
typedef struct {
    Buf buf;
    size_t chars, cap;
    int pending_space, full;
} Folder;

static inline int ascii_word_byte(lxb_char_t c) {
    return c > ' ' && c < 0x7F; /* printable ASCII other than space: never whitespace */
}

static int fold_add(Folder *f, const lxb_char_t *s, size_t len) {
    size_t at = 0;
    uint32_t cp;
    while (at < len && !f->full) {
        lxb_char_t c = s[at];
        if (ascii_word_byte(c)) { /* a run of plain ASCII: copied at once */
            size_t end = at + 1;
            while (end < len && ascii_word_byte(s[end])) end++;
            if (f->pending_space) {
                f->pending_space = 0;
                if (f->chars >= f->cap) {
                    f->full = 1;
                    break;
                }
                if (buf_add(&f->buf, " ", 1) < 0) return -1;
                f->chars++;
            }
            size_t room = f->cap - f->chars, take = end - at;
            if (take > room) {
                take = room;
                f->full = 1;
            }
            if (buf_add(&f->buf, s + at, take) < 0) return -1;
            f->chars += take;
            at = end;
            continue;
        }
        size_t n;
        if (c < 0x80) {
            cp = c;
            n = 1;
        } else {
            n = utf8_next(s + at, len - at, &cp);
        }
        if (is_space(cp)) {
            f->pending_space = f->buf.len > 0;
            at += n;
            continue;
        }
        if (f->pending_space) {
            f->pending_space = 0;
            if (f->chars >= f->cap) {
                f->full = 1;
                break;
            }
            if (buf_add(&f->buf, " ", 1) < 0) return -1;
            f->chars++;
        }
        if (f->chars >= f->cap) {
            f->full = 1;
            break;
        }
        if (buf_add(&f->buf, s + at, n) < 0) return -1;
        f->chars++;
        at += n;
    }
    return 0;
}

static void fold_reset(Folder *f, size_t cap) {
    f->buf.len = 0;
    f->chars = 0;
    f->cap = cap;
    f->pending_space = f->full = 0;
}

/* ---- tree helpers -------------------------------------------------------------------- */

static inline lxb_dom_character_data_t *as_text(lxb_dom_node_t *node) {
    return (lxb_dom_character_data_t *)node;
}

/* Next node of a preorder walk of root's subtree (root excluded), or NULL at its end. */
static inline lxb_dom_node_t *next_in(lxb_dom_node_t *node, lxb_dom_node_t *root) {
    if (node->first_child != NULL) return node->first_child;
    while (node != root) {
        if (node->next != NULL) return node->next;
        node = node->parent;
        if (node == NULL) return NULL;
    }
    return NULL;
}

/* Next node after node's subtree (siblings, then ancestors' siblings) within root. */
static inline lxb_dom_node_t *skip_subtree(lxb_dom_node_t *node, lxb_dom_node_t *root) {
    while (node != root && node != NULL) {
        if (node->next != NULL) return node->next;
        node = node->parent;
    }
    return NULL;
}

/* textContent of node folded into f (stops once f is full). */
static int fold_text_content(Folder *f, lxb_dom_node_t *node) {
    for (lxb_dom_node_t *at = node->first_child; at != NULL && !f->full; at = next_in(at, node)) {
        if (at->type == NODE_TEXT && fold_add(f, as_text(at)->data.data, as_text(at)->data.length) < 0)
            return -1;
    }
    return 0;
}

/* Per-page memo of attribute name ids -> kind (dynamic ids are per document). */
#define ATTR_SLOTS 64
typedef struct {
    uintptr_t local_name, prefix;
    int kind, used;
} AttrSlot;

static int attr_kind(AttrSlot *slots, lxb_dom_attr_t *attr) {
    uintptr_t key = attr->node.local_name, prefix = attr->node.prefix;
    size_t at = (size_t)((key * 2654435761u) ^ prefix) % ATTR_SLOTS;
    for (size_t probe = 0; probe < ATTR_SLOTS; probe++) {
        AttrSlot *slot = &slots[(at + probe) % ATTR_SLOTS];
        if (slot->used && slot->local_name == key && slot->prefix == prefix) return slot->kind;
        if (!slot->used) {
            size_t len = 0;
            const lxb_char_t *name = attr_qualified_name(attr, &len);
            int kind = A_OTHER;
            for (size_t i = 0; name != NULL && i < sizeof(ATTR_NAMES) / sizeof(ATTR_NAMES[0]); i++) {
                if (ATTR_NAMES[i].len == len && memcmp(ATTR_NAMES[i].name, name, len) == 0) {
                    kind = ATTR_NAMES[i].kind;
                    break;
                }
            }
            slot->used = 1;
            slot->local_name = key;
            slot->prefix = prefix;
            slot->kind = kind;
            return kind;
        }
    }
    return A_OTHER; /* unreachable: a page never has 64 distinct wanted names */
}

static lexbor_str_t *find_attr(AttrSlot *slots, lxb_dom_node_t *element, int kind, int *present) {
    for (lxb_dom_attr_t *attr = first_attribute(element); attr != NULL; attr = attr->next) {
        if (attr_kind(slots, attr) == kind) {
            *present = 1;
            return attr->value;
        }
    }
    *present = 0;
    return NULL;
}

static inline int value_contains_footer(const lexbor_str_t *value) {
    if (value == NULL || value->data == NULL || value->length < 6) return 0;
    const lxb_char_t *s = value->data;
    for (size_t i = 0; i + 6 <= value->length; i++) {
        if ((s[i] | 0x20) == 'f' && (s[i + 1] | 0x20) == 'o' && (s[i + 2] | 0x20) == 'o' &&
            (s[i + 3] | 0x20) == 't' && (s[i + 4] | 0x20) == 'e' && (s[i + 5] | 0x20) == 'r')
            return 1;
    }
    return 0;
}

/* role value (stripped, case-insensitive) -> region, R_NONE when it names none. */
static int role_region(const lexbor_str_t *value) {
    if (value == NULL || value->data == NULL) return R_NONE;
    const lxb_char_t *s = value->data;
    size_t start = 0, end = value->length;
    while (start < end && (s[start] == ' ' || (s[start] >= 9 && s[start] <= 13))) start++;
    while (end > start && (s[end - 1] == ' ' || (s[end - 1] >= 9 && s[end - 1] <= 13))) end--;
    char low[16];
    size_t len = end - start;
    if (len == 0 || len >= sizeof(low)) return R_NONE;
    for (size_t i = 0; i < len; i++) {
        lxb_char_t c = s[start + i];
        low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    low[len] = 0;
    if (strcmp(low, "navigation") == 0) return R_NAV;
    if (strcmp(low, "banner") == 0) return R_HEADER;
    if (strcmp(low, "contentinfo") == 0) return R_FOOTER;
    if (strcmp(low, "complementary") == 0) return R_ASIDE;
    if (strcmp(low, "main") == 0) return R_MAIN;
    return R_NONE;
}

static inline int tag_in(uintptr_t tag, const int *ids, size_t count) {
    for (size_t i = 0; i < count; i++)
        if (TAG[ids[i]] == tag) return 1;
    return 0;
}

static const int BOILERPLATE[] = {TG_SCRIPT, TG_STYLE, TG_NOSCRIPT, TG_TEMPLATE,
                                  TG_NAV,    TG_SVG,   TG_IFRAME,   TG_OBJECT};
static const int BLOCKS[] = {TG_P,       TG_LI,         TG_TD,      TG_TH,     TG_DD,     TG_DT,
                             TG_DIV,     TG_SECTION,    TG_ARTICLE, TG_BLOCKQUOTE,
                             TG_FIGCAPTION, TG_CAPTION, TG_BODY,    TG_MAIN,   TG_ASIDE,  TG_FOOTER,
                             TG_HEADER,  TG_H1,         TG_H2,      TG_H3,     TG_H4,     TG_H5,
                             TG_H6};

/* The block whose sentence frames a link: the nearest of its first 8 ancestors with a
 * block tag, else the 9th ancestor (NULL when the tree ends first). */
static lxb_dom_node_t *block_of(lxb_dom_node_t *link) {
    lxb_dom_node_t *block = link->parent;
    for (int step = 0; step < BLOCK_LOOKUP_STEPS; step++) {
        if (block == NULL) return NULL;
        if (block->type == NODE_ELEMENT &&
            tag_in(block->local_name, BLOCKS, sizeof(BLOCKS) / sizeof(BLOCKS[0])))
            return block;
        block = block->parent;
    }
    return block;
}

/* ---- the Page object -----------------------------------------------------------------
 * The walk keeps per link only what it costs nothing to keep: the element, its href and
 * rel attribute values (Lexbor's own strings), its region and heading chain. No Python
 * object is made per link: Page.links() resolves every href in C and builds str objects
 * (anchor, URL, context, ...) only for the links it returns — on crawl pages ~10 % of
 * them, those that leave the site. The list attributes (hrefs, anchors, ...) are built on
 * first access, for tests and tools. */

typedef struct {
    lxb_dom_node_t *node;
    const lexbor_str_t *href, *rel; /* attribute values; NULL when the attribute has none */
    Py_ssize_t chain;               /* index into Page.chains */
    int region;
} LinkRec;

enum { L_HREFS, L_ANCHORS, L_REGIONS, L_RELS, L_HEADINGS, L_COUNT };

typedef struct {
    PyObject_HEAD
    lxb_html_document_t *document;
    LinkRec *links;
    Py_ssize_t count;
    AttrSlot slots[ATTR_SLOTS]; /* the document's attribute ids (see attr_kind) */
    PyObject *title, *base_href, *text_utf8, *chains;
    PyObject *lists[L_COUNT]; /* built on first access */
    Py_ssize_t text_length;
} Page;

static void page_release(Page *self) {
    if (self->document != NULL) {
        doc_destroy(self->document);
        self->document = NULL;
    }
    PyMem_Free(self->links);
    self->links = NULL;
    self->count = 0;
}

static void Page_dealloc(Page *self) {
    page_release(self);
    Py_XDECREF(self->title);
    Py_XDECREF(self->base_href);
    Py_XDECREF(self->text_utf8);
    Py_XDECREF(self->chains);
    for (int i = 0; i < L_COUNT; i++) Py_XDECREF(self->lists[i]);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int page_open(Page *self) {
    if (self->document != NULL) return 0;
    PyErr_SetString(PyExc_ValueError, "page is closed");
    return -1;
}

/* Text of a block as block.text(separator=" ") would give it, capped in characters. */
static PyObject *block_text(lxb_dom_node_t *block, Buf *buf) {
    size_t chars = 0;
    int first = 1;
    buf->len = 0;
    for (lxb_dom_node_t *at = block->first_child; at != NULL && chars < MAX_BLOCK_CHARS;
         at = next_in(at, block)) {
        if (at->type != NODE_TEXT) continue;
        const lxb_char_t *s = as_text(at)->data.data;
        size_t len = as_text(at)->data.length, used = 0;
        if (!first) {
            if (buf_add(buf, " ", 1) < 0) return NULL;
            chars++;
        }
        first = 0;
        while (used < len && chars < MAX_BLOCK_CHARS) {
            uint32_t cp;
            used += s[used] < 0x80 ? 1 : utf8_next(s + used, len - used, &cp);
            chars++;
        }
        if (buf_add(buf, s, used) < 0) return NULL;
    }
    return PyUnicode_DecodeUTF8(buf->data ? buf->data : "", (Py_ssize_t)buf->len, "replace");
}

static PyObject *Page_block_texts(Page *self, PyObject *indexes) {
    if (page_open(self) < 0) return NULL;
    PyObject *seq = PySequence_Fast(indexes, "block_texts() takes a list of link indexes");
    if (seq == NULL) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = PyList_New(n);
    Buf buf = {0};
    if (out == NULL) goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t index = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(seq, i));
        if (index == -1 && PyErr_Occurred()) goto fail;
        if (index < 0 || index >= self->count) {
            PyErr_SetString(PyExc_IndexError, "link index out of range");
            goto fail;
        }
        lxb_dom_node_t *block = block_of(self->links[index].node);
        PyObject *text = block == NULL ? Py_NewRef(Py_None) : block_text(block, &buf);
        if (text == NULL) goto fail;
        PyList_SET_ITEM(out, i, text);
    }
    buf_free(&buf);
    Py_DECREF(seq);
    return out;
fail:
    buf_free(&buf);
    Py_XDECREF(out);
    Py_DECREF(seq);
    return NULL;
}

static PyObject *Page_close(Page *self, PyObject *Py_UNUSED(ignored)) {
    page_release(self);
    Py_RETURN_NONE;
}

static PyObject *Page_text(Page *self, void *Py_UNUSED(closure)) {
    return PyUnicode_DecodeUTF8(PyBytes_AS_STRING(self->text_utf8),
                                PyBytes_GET_SIZE(self->text_utf8), "replace");
}

/* ---- per-link values, made only for the links asked for ------------------------------ */

static Folder anchor_fold; /* scratch (the GIL is held) */

/* A value folded (" ".join(value.split())[:cap]) as a new str, or NULL on error. */
static PyObject *folded_value(Folder *f, const lexbor_str_t *value, size_t cap) {
    fold_reset(f, cap);
    if (value != NULL && value->data != NULL && fold_add(f, value->data, value->length) < 0)
        return NULL;
    return buf_str(&f->buf);
}

/* Anchor text of a link: its folded text, else the first descendant img[alt], then its
 * title, then aria-label (each folded and capped). */
static PyObject *link_anchor(Page *page, lxb_dom_node_t *link) {
    Folder *f = &anchor_fold;
    fold_reset(f, MAX_ANCHOR_CHARS);
    if (fold_text_content(f, link) < 0) return NULL;
    if (f->buf.len) return buf_str(&f->buf);
    int present;
    for (lxb_dom_node_t *at = link->first_child; at != NULL; at = next_in(at, link)) {
        if (at->type == NODE_ELEMENT && at->local_name == TAG[TG_IMG]) {
            lexbor_str_t *alt = find_attr(page->slots, at, A_ALT, &present);
            if (!present) continue;
            PyObject *anchor = folded_value(f, alt, MAX_ANCHOR_CHARS);
            if (anchor == NULL || PyUnicode_GET_LENGTH(anchor) > 0) return anchor;
            Py_DECREF(anchor);
            break;
        }
    }
    static const int kinds[] = {A_TITLE, A_ARIA_LABEL};
    for (int i = 0; i < 2; i++) {
        lexbor_str_t *value = find_attr(page->slots, link, kinds[i], &present);
        PyObject *anchor = folded_value(f, value, MAX_ANCHOR_CHARS);
        if (anchor == NULL || PyUnicode_GET_LENGTH(anchor) > 0) return anchor;
        Py_DECREF(anchor);
    }
    return Py_NewRef(EMPTY_STR);
}

static int append_new(PyObject *list, PyObject *item) {
    if (item == NULL) return -1;
    int status = PyList_Append(list, item);
    Py_DECREF(item);
    return status;
}

static PyObject *value_str(const lexbor_str_t *value) {
    if (value == NULL || value->data == NULL || value->length == 0) return Py_NewRef(EMPTY_STR);
    return PyUnicode_DecodeUTF8((const char *)value->data, (Py_ssize_t)value->length, "replace");
}

static PyObject *rel_value(const lexbor_str_t *rel) {
    if (rel == NULL || rel->data == NULL || rel->length == 0) Py_RETURN_NONE;
    int ascii = 1, upper = 0;
    for (size_t i = 0; i < rel->length; i++) {
        if (rel->data[i] >= 0x80) ascii = 0;
        if (rel->data[i] >= 'A' && rel->data[i] <= 'Z') upper = 1;
    }
    if (ascii && !upper) return PyUnicode_FromStringAndSize((const char *)rel->data, rel->length);
    PyObject *raw = value_str(rel);
    if (raw == NULL) return NULL;
    PyObject *low = PyObject_CallMethod(raw, "lower", NULL);
    Py_DECREF(raw);
    return low;
}

/* One per-link value by kind (L_HREFS ...), as a new reference. */
static PyObject *link_value(Page *page, const LinkRec *rec, int kind) {
    switch (kind) {
    case L_HREFS:
        return value_str(rec->href);
    case L_ANCHORS:
        return link_anchor(page, rec->node);
    case L_REGIONS:
        return Py_NewRef(REGION_STR[rec->region]);
    case L_RELS:
        return rel_value(rec->rel);
    default:
        return Py_NewRef(PyList_GET_ITEM(page->chains, rec->chain));
    }
}

static PyObject *Page_list(Page *self, void *closure) {
    int kind = (int)(intptr_t)closure;
    if (self->lists[kind] != NULL) return Py_NewRef(self->lists[kind]);
    if (page_open(self) < 0) return NULL;
    PyObject *list = PyList_New(self->count);
    if (list == NULL) return NULL;
    for (Py_ssize_t i = 0; i < self->count; i++) {
        PyObject *value = link_value(self, &self->links[i], kind);
        if (value == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, value);
    }
    self->lists[kind] = Py_NewRef(list);
    return list;
}

static PyObject *Page_links(Page *self, PyObject *const *args, Py_ssize_t nargs);

static PyGetSetDef Page_getset[] = {
    {"text", (getter)Page_text, NULL, "visible text as str (decoded on each access)", NULL},
    {"hrefs", (getter)Page_list, NULL, "raw href of each a[href], document order",
     (void *)(intptr_t)L_HREFS},
    {"anchors", (getter)Page_list, NULL, "anchor text of each link (folded, capped, with fallbacks)",
     (void *)(intptr_t)L_ANCHORS},
    {"regions", (getter)Page_list, NULL, "page region of each link", (void *)(intptr_t)L_REGIONS},
    {"rels", (getter)Page_list, NULL, "lower-cased rel of each link, or None",
     (void *)(intptr_t)L_RELS},
    {"headings", (getter)Page_list, NULL, "heading chain (h1 > h2 > ...) in force at each link",
     (void *)(intptr_t)L_HEADINGS},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMethodDef Page_methods[] = {
    {"block_texts", (PyCFunction)Page_block_texts, METH_O,
     "block_texts(indexes) -> [str | None]: text of each link's block (None: no block)."},
    {"links", (PyCFunction)(void (*)(void))Page_links, METH_FASTCALL,
     "links(base, base_host, page_host, page_domain, fallback, domain_of, id_prefix, "
     "keep_internal, idna_netloc, context_chars[, sink]) -> (positions, urls, hosts, domains, "
     "ids, anchors, regions, rels, headings, contexts, internal, dropped): the page's usable "
     "links resolved, limited and split internal/external in C (see the URL section); with a "
     "LinkSink the kept links go into it and the result is (added, internal, dropped)."},
    {"close", (PyCFunction)Page_close, METH_NOARGS, "Free the parsed document now."},
    {NULL, NULL, 0, NULL},
};

#define PAGE_MEMBER(name, doc) {#name, T_OBJECT_EX, offsetof(Page, name), READONLY, doc}
static PyMemberDef Page_members[] = {
    PAGE_MEMBER(title, "title text, whitespace folded, capped"),
    PAGE_MEMBER(base_href, "raw href of the first <base href> in <head>, or None"),
    PAGE_MEMBER(text_utf8, "visible text (UTF-8): stripped text nodes joined with spaces"),
    {"text_length", T_PYSSIZET, offsetof(Page, text_length), READONLY,
     "characters of the visible text"},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject PageType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "extraction._pagewalk.Page",
    .tp_basicsize = sizeof(Page),
    .tp_dealloc = (destructor)Page_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A parsed page: what the walk gathered, and its document for the links' values.",
    .tp_methods = Page_methods,
    .tp_members = Page_members,
    .tp_getset = Page_getset,
};

/* ---- the walk ------------------------------------------------------------------------ */

typedef struct {
    lxb_dom_node_t *node;
    int region;
} RegionMark;

typedef struct {
    AttrSlot slots[ATTR_SLOTS];
    Folder fold;
    Buf text;
    Buf levels[4];
    int levels_dirty;
    Py_ssize_t chain; /* index of the chain in force in Page.chains, -1 before the first */
    RegionMark *regions;
    size_t region_depth, region_cap;
    Py_ssize_t link_cap;
} Walk;

static int push_region(Walk *w, lxb_dom_node_t *node, int region) {
    if (w->region_depth == w->region_cap) {
        size_t cap = w->region_cap ? w->region_cap * 2 : 32;
        RegionMark *grown = PyMem_Realloc(w->regions, cap * sizeof(RegionMark));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        w->regions = grown;
        w->region_cap = cap;
    }
    w->regions[w->region_depth].node = node;
    w->regions[w->region_depth].region = region;
    w->region_depth++;
    return 0;
}

/* Index in page->chains of the heading chain in force (a new chain after a heading). */
static Py_ssize_t heading_chain(Walk *w, Page *page) {
    if (!w->levels_dirty && w->chain >= 0) return w->chain;
    Buf joined = {0};
    for (int level = 0; level < 4; level++) {
        if (w->levels[level].len == 0) continue;
        if ((joined.len && buf_add(&joined, " > ", 3) < 0) ||
            buf_add(&joined, w->levels[level].data, w->levels[level].len) < 0) {
            buf_free(&joined);
            return -1;
        }
    }
    PyObject *chain = buf_str(&joined);
    buf_free(&joined);
    if (chain == NULL || append_new(page->chains, chain) < 0) return -1;
    w->levels_dirty = 0;
    w->chain = PyList_GET_SIZE(page->chains) - 1;
    return w->chain;
}

static int add_link(Walk *w, Page *page, lxb_dom_node_t *node, const lexbor_str_t *href,
                    const lexbor_str_t *rel) {
    if (page->count == w->link_cap) {
        Py_ssize_t cap = w->link_cap ? w->link_cap * 2 : 256;
        LinkRec *grown = PyMem_Realloc(page->links, (size_t)cap * sizeof(*grown));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        page->links = grown;
        w->link_cap = cap;
    }
    Py_ssize_t chain = heading_chain(w, page);
    if (chain < 0) return -1;
    LinkRec *rec = &page->links[page->count++];
    rec->node = node;
    rec->href = href;
    rec->rel = rel;
    rec->chain = chain;
    rec->region = w->region_depth ? w->regions[w->region_depth - 1].region : R_MAIN;
    return 0;
}

static int set_heading(Walk *w, int level, lxb_dom_node_t *node) {
    fold_reset(&w->fold, MAX_HEADING_CHARS);
    if (fold_text_content(&w->fold, node) < 0) return -1;
    w->levels[level].len = 0;
    if (buf_add(&w->levels[level], w->fold.buf.data ? w->fold.buf.data : "", w->fold.buf.len) < 0)
        return -1;
    for (int deeper = level + 1; deeper < 4; deeper++) w->levels[deeper].len = 0;
    w->levels_dirty = 1;
    return 0;
}

static PyObject *title_of(Walk *w, lxb_dom_node_t *title) {
    if (title == NULL) {
        Py_INCREF(EMPTY_STR);
        return EMPTY_STR;
    }
    fold_reset(&w->fold, MAX_TITLE_CHARS);
    if (fold_text_content(&w->fold, title) < 0) return NULL;
    return buf_str(&w->fold.buf);
}

static int walk_document(Walk *w, Page *page, lxb_html_document_t *document) {
    lxb_dom_node_t *head = doc_head(document), *title = NULL, *any_title = NULL;
    lexbor_str_t *base = NULL;
    int have_base = 0;
    /* <title> and <base href> are read from <head> first, as browsers do. */
    if (head != NULL) {
        for (lxb_dom_node_t *at = head->first_child; at != NULL; at = next_in(at, head)) {
            if (at->type != NODE_ELEMENT) continue;
            if (at->local_name == TAG[TG_TITLE] && title == NULL) title = at;
            if (at->local_name == TAG[TG_BASE] && !have_base) {
                int present;
                lexbor_str_t *href = find_attr(w->slots, at, A_HREF, &present);
                if (present) {
                    have_base = 1;
                    base = href;
                }
            }
        }
    }
    lxb_dom_node_t *text_root = doc_body(document);
    if (text_root == NULL) text_root = doc_root(document);
    lxb_dom_node_t *root = (lxb_dom_node_t *)document;
    int in_text = 0;
    size_t fragments = 0;               /* text fragments joined so far */
    lxb_dom_node_t *skip_root = NULL; /* outermost open boilerplate element */
    lxb_dom_node_t *node = root->first_child;
    while (node != NULL) {
        if (node->type == NODE_TEXT) {
            if (in_text && skip_root == NULL) {
                lxb_dom_character_data_t *text = as_text(node);
                if (fragments++ && buf_add(&w->text, " ", 1) < 0) return -1;
                if (add_stripped(&w->text, text->data.data, text->data.length) < 0) return -1;
            }
        } else if (node->type == NODE_ELEMENT) {
            uintptr_t tag = node->local_name;
            if (node == text_root) in_text = 1;
            lexbor_str_t *href = NULL, *role = NULL, *id = NULL, *cls = NULL, *rel = NULL;
            int has_href = 0, has_role = 0;
            for (lxb_dom_attr_t *attr = first_attribute(node); attr != NULL; attr = attr->next) {
                switch (attr_kind(w->slots, attr)) {
                case A_HREF:
                    if (!has_href) href = attr->value;
                    has_href = 1;
                    break;
                case A_ROLE:
                    if (!has_role) role = attr->value;
                    has_role = 1;
                    break;
                case A_ID:
                    id = attr->value;
                    break;
                case A_CLASS:
                    cls = attr->value;
                    break;
                case A_REL:
                    rel = attr->value;
                    break;
                default:
                    break;
                }
            }
            if (tag == TAG[TG_A] && has_href) {
                if (add_link(w, page, node, href, rel) < 0) return -1;
            } else if (!has_href) {
                int region = R_NONE;
                if (tag == TAG[TG_H1] || tag == TAG[TG_H2] || tag == TAG[TG_H3] || tag == TAG[TG_H4]) {
                    int level = tag == TAG[TG_H1] ? 0 : tag == TAG[TG_H2] ? 1 : tag == TAG[TG_H3] ? 2 : 3;
                    if (set_heading(w, level, node) < 0) return -1;
                }
                if (tag == TAG[TG_NAV]) region = R_NAV;
                else if (tag == TAG[TG_HEADER]) region = R_HEADER;
                else if (tag == TAG[TG_FOOTER]) region = R_FOOTER;
                else if (tag == TAG[TG_ASIDE]) region = R_ASIDE;
                else {
                    if (has_role) region = role_region(role);
                    if (region == R_NONE && tag != TAG[TG_BODY] && tag != TAG[TG_HTML] &&
                        (value_contains_footer(id) || value_contains_footer(cls)))
                        region = R_FOOTER;
                }
                if (region != R_NONE && push_region(w, node, region) < 0) return -1;
            }
            if (tag == TAG[TG_TITLE] && any_title == NULL) any_title = node;
            if (skip_root == NULL &&
                tag_in(tag, BOILERPLATE, sizeof(BOILERPLATE) / sizeof(BOILERPLATE[0])))
                skip_root = node;
        }
        if (node->first_child != NULL) {
            node = node->first_child;
            continue;
        }
        /* Leave node and every ancestor whose last child it was. */
        while (node != NULL && node != root) {
            if (node->type == NODE_ELEMENT) {
                if (w->region_depth && w->regions[w->region_depth - 1].node == node)
                    w->region_depth--;
                if (node == skip_root) skip_root = NULL;
                if (node == text_root) in_text = 0;
            }
            if (node->next != NULL) {
                node = node->next;
                break;
            }
            node = node->parent;
        }
        if (node == root) break;
    }
    if (title == NULL) title = any_title;
    page->title = title_of(w, title);
    if (page->title == NULL) return -1;
    if (have_base && base != NULL && base->data != NULL) {
        page->base_href = value_str(base);
        if (page->base_href == NULL) return -1;
    } else {
        page->base_href = Py_NewRef(Py_None);
    }
    page->text_utf8 = PyBytes_FromStringAndSize(w->text.data ? w->text.data : "", (Py_ssize_t)w->text.len);
    if (page->text_utf8 == NULL) return -1;
    /* Code points: the text is Lexbor's (valid UTF-8), so all bytes but continuations. */
    size_t continuations = 0, at = 0;
    const char *text = w->text.data;
    for (; at + 8 <= w->text.len; at += 8) {
        uint64_t word;
        memcpy(&word, text + at, 8);
        uint64_t marks = word & ~(word << 1) & 0x8080808080808080ULL; /* 10xxxxxx bytes */
        continuations += (size_t)(((marks >> 7) * 0x0101010101010101ULL) >> 56);
    }
    for (; at < w->text.len; at++) continuations += ((lxb_char_t)text[at] & 0xC0) == 0x80;
    Py_ssize_t chars = (Py_ssize_t)(w->text.len - continuations);
    page->text_length = chars;
    return 0;
}

/* The walk's scratch buffers are kept between pages (the GIL is held while they are in
 * use), so a page does not regrow them from nothing; any grown past SPARE_MAX are freed. */
#define SPARE_MAX (1 << 20)
static Buf spare_fold, spare_text, spare_levels[4];
static RegionMark *spare_regions;
static size_t spare_region_cap;

static void walk_take_buffers(Walk *w) {
    w->fold.buf = spare_fold;
    w->text = spare_text;
    for (int i = 0; i < 4; i++) w->levels[i] = spare_levels[i];
    w->regions = spare_regions;
    w->region_cap = spare_region_cap;
    memset(&spare_fold, 0, sizeof(Buf));
    memset(&spare_text, 0, sizeof(Buf));
    memset(spare_levels, 0, sizeof(spare_levels));
    spare_regions = NULL;
    spare_region_cap = 0;
    w->fold.buf.len = w->text.len = 0;
    for (int i = 0; i < 4; i++) w->levels[i].len = 0;
}

static void keep_buf(Buf *spare, Buf *used) {
    buf_free(spare);
    if (used->cap > SPARE_MAX) {
        buf_free(used);
    } else {
        used->len = 0;
        *spare = *used;
    }
    memset(used, 0, sizeof(Buf));
}

static void walk_keep_buffers(Walk *w) {
    keep_buf(&spare_fold, &w->fold.buf);
    keep_buf(&spare_text, &w->text);
    for (int i = 0; i < 4; i++) keep_buf(&spare_levels[i], &w->levels[i]);
    PyMem_Free(spare_regions);
    spare_regions = w->regions;
    spare_region_cap = w->region_cap;
    if (spare_region_cap * sizeof(RegionMark) > SPARE_MAX) {
        PyMem_Free(spare_regions);
        spare_regions = NULL;
        spare_region_cap = 0;
    }
    w->regions = NULL;
}

static PyObject *walk(PyObject *Py_UNUSED(module), PyObject *html) {
    if (!PyBytes_Check(html)) {
        PyErr_SetString(PyExc_TypeError, "walk() takes UTF-8 bytes");
        return NULL;
    }
    Page *page = PyObject_New(Page, &PageType);
    if (page == NULL) return NULL;
    page->document = NULL;
    page->links = NULL;
    page->count = 0;
    page->title = page->base_href = page->text_utf8 = NULL;
    page->text_length = 0;
    for (int i = 0; i < L_COUNT; i++) page->lists[i] = NULL;
    page->chains = PyList_New(0);
    Walk w;
    memset(&w, 0, sizeof(w));
    w.chain = -1;
    walk_take_buffers(&w);
    if (page->chains == NULL) goto fail;
    page->document = doc_create();
    if (page->document == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    lxb_status_t status;
    const lxb_char_t *data = (const lxb_char_t *)PyBytes_AS_STRING(html);
    size_t size = (size_t)PyBytes_GET_SIZE(html);
    Py_BEGIN_ALLOW_THREADS status = doc_parse(page->document, data, size);
    Py_END_ALLOW_THREADS if (status != 0) {
        PyErr_Format(PyExc_ValueError, "Lexbor could not parse the page (status %u)", status);
        goto fail;
    }
    if (walk_document(&w, page, page->document) < 0) goto fail;
    memcpy(page->slots, w.slots, sizeof(w.slots));
    walk_keep_buffers(&w);
    return (PyObject *)page;
fail:
    walk_keep_buffers(&w);
    Py_DECREF(page);
    return NULL;
}



/* ---- input scan: what prepare_html must know before parsing ------------------------- */

#ifdef __SSE2__
#include <emmintrin.h>
/* Set bits per byte value (no popcnt instruction needed). */
static unsigned char BITS16[256];
static void bits_init(void) {
    for (int v = 0; v < 256; v++) BITS16[v] = (unsigned char)__builtin_popcount((unsigned)v);
}
#else
static void bits_init(void) {}
#endif

/* One pass over the payload: (valid UTF-8 as Python's strict decoder sees it, all ASCII,
 * number of '<' bytes). Eight bytes at a time while they are ASCII. */
static PyObject *utf8_scan(PyObject *Py_UNUSED(module), PyObject *data) {
    if (!PyBytes_Check(data)) {
        PyErr_SetString(PyExc_TypeError, "utf8_scan() takes bytes");
        return NULL;
    }
    const unsigned char *s = (const unsigned char *)PyBytes_AS_STRING(data);
    size_t n = (size_t)PyBytes_GET_SIZE(data), i = 0;
    Py_ssize_t lt = 0;
    int ascii = 1, valid = 1;
    const uint64_t high = 0x8080808080808080ULL, low7 = 0x7F7F7F7F7F7F7F7FULL;
    while (i < n) {
#ifdef __SSE2__
        if (i + 16 <= n) { /* 16 bytes at a time while they are ASCII */
            __m128i block = _mm_loadu_si128((const __m128i *)(s + i));
            if (_mm_movemask_epi8(block) == 0) {
                unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(block, _mm_set1_epi8('<')));
                lt += BITS16[mask & 0xFF] + BITS16[mask >> 8];
                i += 16;
                continue;
            }
        }
#endif
        if (i + 8 <= n) {
            uint64_t word;
            memcpy(&word, s + i, 8);
            if (!(word & high)) {
                uint64_t x = word ^ 0x3C3C3C3C3C3C3C3CULL; /* zero bytes where '<' was */
                uint64_t zero = ~(((x & low7) + low7) | x | low7);
                lt += (Py_ssize_t)(((zero >> 7) * 0x0101010101010101ULL) >> 56);
                i += 8;
                continue;
            }
        }
        unsigned char c = s[i];
        if (c < 0x80) {
            lt += c == '<';
            i++;
            continue;
        }
        ascii = 0;
        if (!valid) {
            i++;
            continue;
        }
        size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (len == 0 || i + len > n) {
            valid = 0;
            i++;
            continue;
        }
        unsigned char lo = 0x80, hi = 0xBF, c1 = s[i + 1];
        if (c == 0xE0) lo = 0xA0;      /* overlong */
        else if (c == 0xED) hi = 0x9F; /* surrogates */
        else if (c == 0xF0) lo = 0x90; /* overlong */
        else if (c == 0xF4) hi = 0x8F; /* above U+10FFFF */
        int ok = c1 >= lo && c1 <= hi;
        for (size_t k = 2; ok && k < len; k++) ok = (s[i + k] & 0xC0) == 0x80;
        if (!ok) {
            valid = 0;
            i++;
            continue;
        }
        i += len;
    }
    return Py_BuildValue("(OOn)", valid ? Py_True : Py_False, ascii ? Py_True : Py_False, lt);
}


/* url_hash(url) -> f"{zlib.crc32(url.encode('utf-8', 'replace')):08x}" (CRC-32, zlib's). */
static uint32_t CRC_TABLE[256];

static void crc_init(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        CRC_TABLE[n] = c;
    }
}

static PyObject *url_hash(PyObject *Py_UNUSED(module), PyObject *url) {
    if (!PyUnicode_Check(url)) {
        PyErr_SetString(PyExc_TypeError, "url_hash() takes a str");
        return NULL;
    }
    PyObject *encoded = NULL;
    const unsigned char *data;
    Py_ssize_t len;
    if (PyUnicode_IS_ASCII(url)) {
        data = PyUnicode_1BYTE_DATA(url);
        len = PyUnicode_GET_LENGTH(url);
    } else {
        encoded = PyUnicode_AsEncodedString(url, "utf-8", "replace");
        if (encoded == NULL) return NULL;
        data = (const unsigned char *)PyBytes_AS_STRING(encoded);
        len = PyBytes_GET_SIZE(encoded);
    }
    uint32_t crc = 0xFFFFFFFFu;
    for (Py_ssize_t i = 0; i < len; i++) crc = CRC_TABLE[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
    crc ^= 0xFFFFFFFFu;
    Py_XDECREF(encoded);
    char hex[8];
    for (int i = 7; i >= 0; i--, crc >>= 4) hex[i] = "0123456789abcdef"[crc & 15];
    return PyUnicode_FromStringAndSize(hex, 8);
}


/* find(haystack, needle) -> bytes.find(needle): memchr for the needle's first byte, then
 * memcmp. Far faster than a general search when that byte is rare (the WARC reader looks
 * for "\r\n\r\nWARC/1." in every payload; most pages hold few or no CR bytes). */
static PyObject *find_bytes(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2 || !PyBytes_Check(args[0]) || !PyBytes_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "find(haystack: bytes, needle: bytes)");
        return NULL;
    }
    const char *hay = PyBytes_AS_STRING(args[0]), *needle = PyBytes_AS_STRING(args[1]);
    size_t size = (size_t)PyBytes_GET_SIZE(args[0]), len = (size_t)PyBytes_GET_SIZE(args[1]);
    if (len == 0) return PyLong_FromLong(0);
    const char *at = hay, *end = hay + size;
    while (at + len <= end) {
        at = memchr(at, needle[0], (size_t)(end - at) - len + 1);
        if (at == NULL) break;
        if (memcmp(at, needle, len) == 0) return PyLong_FromSsize_t(at - hay);
        at++;
    }
    return PyLong_FromLong(-1);
}

/* stopword_counts(text, max_chars, table, max_word, languages) -> hits per language.
 * The words of text[:max_chars].lower().split() are looked up in table (word -> bit mask
 * of languages); only words up to max_word characters can be stopwords. The table is
 * copied once into a small C hash of UTF-8 words (rebuilt when another dict is passed),
 * so no str is made per word. */
#define MAX_STOPWORD 32
#define STOP_SLOTS 256 /* small enough to stay in cache */
typedef struct {
    char word[32];
    size_t len;
    long long mask;
    int used;
} StopSlot;
static StopSlot stop_table[STOP_SLOTS];
static PyObject *stop_source; /* the dict stop_table was built from (strong reference) */

static int build_stop_table(PyObject *table) {
    memset(stop_table, 0, sizeof(stop_table));
    Py_CLEAR(stop_source);
    if (PyDict_GET_SIZE(table) > STOP_SLOTS / 2) {
        PyErr_SetString(PyExc_ValueError, "stopword_counts: at most 128 stopwords");
        return -1;
    }
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(table, &pos, &key, &value)) {
        Py_ssize_t len;
        const char *word = PyUnicode_Check(key) ? PyUnicode_AsUTF8AndSize(key, &len) : NULL;
        long long mask = PyLong_AsLongLong(value);
        if (word == NULL || (mask == -1 && PyErr_Occurred())) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "stopwords map str -> int");
            return -1;
        }
        if (len == 0 || (size_t)len > sizeof(stop_table[0].word)) continue;
        size_t slot = bytes_hash(word, (size_t)len) & (STOP_SLOTS - 1);
        while (stop_table[slot].used) slot = (slot + 1) & (STOP_SLOTS - 1);
        memcpy(stop_table[slot].word, word, (size_t)len);
        stop_table[slot].len = (size_t)len;
        stop_table[slot].mask = mask;
        stop_table[slot].used = 1;
    }
    Py_INCREF(table);
    stop_source = table;
    return 0;
}

static long long stop_mask(const char *word, size_t len) {
    if (len > sizeof(stop_table[0].word)) return 0;
    size_t slot = bytes_hash(word, len) & (STOP_SLOTS - 1);
    while (stop_table[slot].used) {
        if (stop_table[slot].len == len && memcmp(stop_table[slot].word, word, len) == 0)
            return stop_table[slot].mask;
        slot = (slot + 1) & (STOP_SLOTS - 1);
    }
    return 0;
}

static size_t utf8_put(char *out, Py_UCS4 ch) {
    if (ch < 0x80) {
        out[0] = (char)ch;
        return 1;
    }
    if (ch < 0x800) {
        out[0] = (char)(0xC0 | (ch >> 6));
        out[1] = (char)(0x80 | (ch & 0x3F));
        return 2;
    }
    if (ch < 0x10000) {
        out[0] = (char)(0xE0 | (ch >> 12));
        out[1] = (char)(0x80 | ((ch >> 6) & 0x3F));
        out[2] = (char)(0x80 | (ch & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (ch >> 18));
    out[1] = (char)(0x80 | ((ch >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((ch >> 6) & 0x3F));
    out[3] = (char)(0x80 | (ch & 0x3F));
    return 4;
}

static PyObject *stopword_counts(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs) {
    Py_ssize_t max_chars, max_word, languages;
    if (nargs != 5 || !(PyUnicode_Check(args[0]) || PyBytes_Check(args[0])) ||
        !PyDict_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError,
                        "stopword_counts(text: str | UTF-8 bytes, max_chars, table, max_word, "
                        "languages)");
        return NULL;
    }
    max_chars = PyLong_AsSsize_t(args[1]);
    max_word = PyLong_AsSsize_t(args[3]);
    languages = PyLong_AsSsize_t(args[4]);
    if (PyErr_Occurred()) return NULL;
    if (max_word < 1 || max_word > MAX_STOPWORD || languages < 1 || languages > 62) {
        PyErr_SetString(PyExc_ValueError, "stopword_counts: word length 1..32, languages 1..62");
        return NULL;
    }
    if (args[2] != stop_source && build_stop_table(args[2]) < 0) return NULL;
    PyObject *text = args[0];
    int is_bytes = PyBytes_Check(text);
    int kind = is_bytes ? 0 : PyUnicode_KIND(text);
    const void *data = is_bytes ? (const void *)PyBytes_AS_STRING(text) : PyUnicode_DATA(text);
    Py_ssize_t length = is_bytes ? PyBytes_GET_SIZE(text) : PyUnicode_GET_LENGTH(text);
    Py_ssize_t at = 0, chars = 0; /* bytes: position in the data, characters read so far */
    if (max_chars < 0) max_chars = 0;
    if (!is_bytes && max_chars < length) length = max_chars;
    Py_ssize_t hits[62] = {0};
    char word[MAX_STOPWORD * 4 * 3];
    size_t word_bytes = 0;
    Py_ssize_t word_chars = 0;
    int too_long = 0;
    for (Py_ssize_t i = 0; i <= length; i++) {
        Py_UCS4 ch = ' ';
        if (is_bytes) { /* i only bounds the loop; at walks the bytes */
            if (at < length && chars < max_chars) {
                uint32_t cp;
                at += (Py_ssize_t)utf8_next((const lxb_char_t *)data + at, (size_t)(length - at), &cp);
                ch = cp;
                chars++;
            } else {
                i = length; /* one last round with the end space */
            }
        } else if (i < length) {
            ch = PyUnicode_READ(kind, data, i);
        }
        if (ch < 0x80 ? (ch == ' ' || (ch >= 0x09 && ch <= 0x0D) || (ch >= 0x1C && ch <= 0x1F))
                      : Py_UNICODE_ISSPACE(ch)) {
            if (word_chars > 0 && !too_long) {
                long long bits = stop_mask(word, word_bytes);
                for (Py_ssize_t lang = 0; bits && lang < languages; lang++)
                    if (bits & (1LL << lang)) hits[lang]++;
            }
            word_bytes = 0;
            word_chars = 0;
            too_long = 0;
            continue;
        }
        if (too_long) continue;
        if (ch < 0x80) {
            if (word_chars >= max_word) {
                too_long = 1;
                continue;
            }
            word[word_bytes++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
            word_chars++;
            continue;
        }
        Py_UCS4 lower[3];
#if PY_VERSION_HEX < 0x030D0000
        int parts = _PyUnicode_ToLowerFull(ch, lower); /* what str.lower() applies */
#else
        int parts = 1; /* newer CPython hides the full mapping; the simple one differs only */
        lower[0] = Py_UNICODE_TOLOWER(ch); /* for a few letters no stopword holds */
#endif
        for (int k = 0; k < parts; k++) {
            if (word_chars >= max_word) {
                too_long = 1;
                break;
            }
            word_bytes += utf8_put(word + word_bytes, lower[k]);
            word_chars++;
        }
    }
    PyObject *counts = PyTuple_New(languages);
    if (counts == NULL) return NULL;
    for (Py_ssize_t lang = 0; lang < languages; lang++) {
        PyObject *value = PyLong_FromSsize_t(hits[lang]);
        if (value == NULL) {
            Py_DECREF(counts);
            return NULL;
        }
        PyTuple_SET_ITEM(counts, lang, value);
    }
    return counts;
}

/* ---- import: resolve Lexbor, check the layout, find tag ids -------------------------- */

static int resolve(void *lib, void **slot, const char *name) {
    *slot = dlsym(lib, name);
    if (*slot == NULL) {
        PyErr_Format(PyExc_ImportError, "extraction._pagewalk: selectolax's Lexbor lacks %s", name);
        return -1;
    }
    return 0;
}

static int load_lexbor(void) {
    PyObject *module = PyImport_ImportModule("selectolax.lexbor");
    if (module == NULL) return -1;
    PyObject *file = PyObject_GetAttrString(module, "__file__");
    Py_DECREF(module);
    if (file == NULL) return -1;
    PyObject *path = PyUnicode_EncodeFSDefault(file);
    Py_DECREF(file);
    if (path == NULL) return -1;
    void *lib = dlopen(PyBytes_AS_STRING(path), RTLD_NOW | RTLD_NOLOAD);
    if (lib == NULL) lib = dlopen(PyBytes_AS_STRING(path), RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        PyErr_Format(PyExc_ImportError, "extraction._pagewalk: cannot open %s: %s",
                     PyBytes_AS_STRING(path), dlerror());
        Py_DECREF(path);
        return -1;
    }
    Py_DECREF(path);
    /* The handle stays open for the life of the process (selectolax keeps it loaded too). */
    if (resolve(lib, (void **)&doc_create, "lxb_html_document_create") < 0 ||
        resolve(lib, (void **)&doc_destroy, "lxb_html_document_destroy") < 0 ||
        resolve(lib, (void **)&doc_parse, "lxb_html_document_parse") < 0 ||
        resolve(lib, (void **)&doc_body, "lxb_html_document_body_element_noi") < 0 ||
        resolve(lib, (void **)&doc_head, "lxb_html_document_head_element_noi") < 0 ||
        resolve(lib, (void **)&doc_root, "lxb_dom_document_root") < 0 ||
        resolve(lib, (void **)&first_attribute, "lxb_dom_element_first_attribute_noi") < 0 ||
        resolve(lib, (void **)&attr_qualified_name, "lxb_dom_attr_qualified_name") < 0 ||
        resolve(lib, (void **)&attr_value, "lxb_dom_attr_value_noi") < 0 ||
        resolve(lib, (void **)&element_qualified_name, "lxb_dom_element_qualified_name") < 0 ||
        resolve(lib, (void **)&node_first_child, "lxb_dom_node_first_child_noi") < 0 ||
        resolve(lib, (void **)&node_next, "lxb_dom_node_next_noi") < 0 ||
        resolve(lib, (void **)&node_parent, "lxb_dom_node_parent_noi") < 0 ||
        resolve(lib, (void **)&node_tag_id, "lxb_dom_node_tag_id_noi") < 0 ||
        resolve(lib, (void **)&node_type, "lxb_dom_node_type_noi") < 0)
        return -1;
    return 0;
}

static int layout_error(const char *what) {
    PyErr_Format(PyExc_ImportError,
                 "extraction._pagewalk: selectolax's Lexbor differs from the layout this module "
                 "was written for (%s); rebuild against the installed selectolax",
                 what);
    return -1;
}

/* Parse the probe page, find the tag ids by name and check every struct field we read. */
static int probe_lexbor(void) {
    lxb_html_document_t *document = doc_create();
    if (document == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    int result = -1;
    if (doc_parse(document, (const lxb_char_t *)PROBE_HTML, sizeof(PROBE_HTML) - 1) != 0) {
        layout_error("probe page not parsed");
        goto done;
    }
    int found[TG_COUNT] = {0};
    lxb_dom_node_t *root = (lxb_dom_node_t *)document, *link = NULL;
    for (lxb_dom_node_t *at = node_first_child(root); at != NULL; at = next_in(at, root)) {
        if (at->first_child != node_first_child(at) || at->next != node_next(at) ||
            at->parent != node_parent(at) || at->local_name != node_tag_id(at) ||
            at->type != node_type(at)) {
            layout_error("node fields");
            goto done;
        }
        if (at->type == NODE_TEXT) {
            TAG[TG_TEXT] = at->local_name;
            found[TG_TEXT] = 1;
            continue;
        }
        if (at->type != NODE_ELEMENT) continue;
        size_t len = 0;
        const lxb_char_t *name = element_qualified_name(at, &len);
        for (int t = 1; name != NULL && t < TG_COUNT; t++) {
            if (!found[t] && strlen(TAG_NAMES[t]) == len && memcmp(TAG_NAMES[t], name, len) == 0) {
                TAG[t] = at->local_name;
                found[t] = 1;
            }
        }
        if (len == 1 && name[0] == 'a') link = at;
    }
    for (int t = 0; t < TG_COUNT; t++) {
        if (!found[t]) {
            layout_error(TAG_NAMES[t]);
            goto done;
        }
    }
    /* The link's attributes: href="/x" rel="N" class="c" data-k (no value). */
    static const char *names[] = {"href", "rel", "class", "data-k"};
    static const char *values[] = {"/x", "N", "c", NULL};
    lxb_dom_attr_t *attr = link ? first_attribute(link) : NULL;
    for (int i = 0; i < 4; i++, attr = attr->next) {
        size_t len = 0, value_len = 0;
        const lxb_char_t *name = attr ? attr_qualified_name(attr, &len) : NULL;
        if (name == NULL || len != strlen(names[i]) || memcmp(name, names[i], len) != 0) {
            layout_error("attribute list");
            goto done;
        }
        const lxb_char_t *value = attr_value(attr, &value_len);
        int value_ok = values[i] == NULL
                           ? (attr->value == NULL || attr->value->length == 0)
                           : (attr->value != NULL && value == attr->value->data &&
                              value_len == attr->value->length &&
                              value_len == strlen(values[i]) &&
                              memcmp(value, values[i], value_len) == 0);
        if (!value_ok) {
            layout_error("attribute value");
            goto done;
        }
    }
    if (attr != NULL) {
        layout_error("attribute list end");
        goto done;
    }
    lxb_dom_node_t *text = link->first_child;
    if (text == NULL || text->type != NODE_TEXT || as_text(text)->data.length != 1 ||
        as_text(text)->data.data[0] != 'A') {
        layout_error("text data");
        goto done;
    }
    result = 0;
done:
    doc_destroy(document);
    return result;
}

/* ---- URLs: resolution, normalisation, limits, registered domains ----------------------
 * Page.links() turns a walked page's hrefs into absolute normalised URLs, finds each
 * target's registered domain in a public-suffix hash table and decides internal/external,
 * so Python sees only the links that leave the site. It reproduces extraction.urls'
 * Resolver (urllib.parse.urljoin + normalize_url) and tldextract's suffix walk exactly for
 * the hrefs it handles: printable ASCII without backslash, ';' or ':' in relative paths,
 * userinfo or IPv6 literals. Every other href (about 1 in 1,000 on real pages) goes to a
 * Python fallback, which gives the same answer slowly. Punycode hosts are walked in C
 * too: the table holds the ACE forms of the IDN rules (extraction.urls._with_ace_forms).
 * Limits (extraction.urls.MAX_URL_CHARS etc.) make a link a counted skip. */

#define MAX_URL_BYTES 2048
#define MAX_HOST_BYTES 253
#define MAX_LABEL_BYTES 63
#define MAX_SEGMENTS 512

enum { PSL_EXISTS = 1, PSL_END = 2, PSL_WILDCARD = 4, PSL_EXCEPTION = 8 };
typedef struct {
    uint64_t hash;
    uint32_t offset, len; /* into psl_pool; len 0 and offset UINT32_MAX: empty slot */
    uint8_t flags;
} PslSlot;
static PslSlot *psl_slots;
static size_t psl_mask;
static Buf psl_pool;

static PslSlot *psl_slot(const char *key, size_t len) {
    uint64_t h = bytes_hash(key, len);
    size_t at = (size_t)h & psl_mask;
    for (;;) {
        PslSlot *slot = &psl_slots[at];
        if (slot->offset == UINT32_MAX) return slot;
        if (slot->hash == h && slot->len == len &&
            memcmp(psl_pool.data + slot->offset, key, len) == 0)
            return slot;
        at = (at + 1) & psl_mask;
    }
}

static inline uint8_t psl_flags(const char *key, size_t len) {
    if (psl_slots == NULL) return 0;
    PslSlot *slot = psl_slot(key, len);
    return slot->offset == UINT32_MAX ? 0 : slot->flags;
}

static int psl_mark(const char *key, size_t len, uint8_t flags) {
    PslSlot *slot = psl_slot(key, len);
    if (slot->offset == UINT32_MAX) {
        if (psl_pool.len > UINT32_MAX - len - 1) {
            PyErr_SetString(PyExc_ValueError, "public suffix list too large");
            return -1;
        }
        slot->offset = (uint32_t)psl_pool.len;
        slot->len = (uint32_t)len;
        slot->hash = bytes_hash(key, len);
        slot->flags = 0;
        if (buf_add(&psl_pool, key, len) < 0) return -1;
    }
    slot->flags |= flags;
    return 0;
}

/* A node and every node above it (its dot-suffixes) exist in the suffix trie. */
static int psl_mark_path(const char *key, size_t len, uint8_t flags) {
    if (psl_mark(key, len, flags | PSL_EXISTS) < 0) return -1;
    for (size_t i = 0; i < len; i++)
        if (key[i] == '.' && psl_mark(key + i + 1, len - i - 1, PSL_EXISTS) < 0) return -1;
    return 0;
}

/* psl_load(rules): the suffix rules tldextract matches (public + extra, '*.' and '!'
 * rules as in the list); replaces any table loaded before. */
static PyObject *psl_load(PyObject *Py_UNUSED(module), PyObject *rules) {
    PyObject *seq = PySequence_Fast(rules, "psl_load() takes a list of suffix rules");
    if (seq == NULL) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    size_t slots = 1024;
    while (slots < (size_t)n * 8) slots *= 2;
    PyMem_Free(psl_slots);
    buf_free(&psl_pool);
    psl_slots = PyMem_Malloc(slots * sizeof(PslSlot));
    if (psl_slots == NULL) {
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    psl_mask = slots - 1;
    for (size_t i = 0; i < slots; i++) psl_slots[i].offset = UINT32_MAX;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t len;
        const char *rule = PyUnicode_AsUTF8AndSize(PySequence_Fast_GET_ITEM(seq, i), &len);
        int failed = rule == NULL;
        if (!failed && len > 1 && rule[0] == '!') { /* exception: "!www.ck" */
            const char *dot = memchr(rule, '.', (size_t)len);
            failed = psl_mark(rule + 1, (size_t)len - 1, PSL_EXCEPTION) < 0 ||
                     (dot != NULL && psl_mark_path(dot + 1, (size_t)(rule + len - dot - 1), 0) < 0);
        } else if (!failed && len > 2 && rule[0] == '*' && rule[1] == '.') {
            failed = psl_mark_path(rule + 2, (size_t)len - 2, PSL_WILDCARD) < 0;
        } else if (!failed && len > 0) {
            failed = psl_mark_path(rule, (size_t)len, PSL_END) < 0;
        }
        if (failed) {
            Py_DECREF(seq);
            PyMem_Free(psl_slots);
            psl_slots = NULL;
            return NULL;
        }
    }
    Py_DECREF(seq);
    return PyLong_FromSsize_t(n);
}

/* Start of the registered domain in host[0:n] (lower-case ASCII), or
 * -1: tldextract's suffix_index walk (longest rule, wildcards, exceptions) and its
 * "domain and suffix both set" rule. */
static Py_ssize_t psl_registered(const char *host, size_t n) {
    size_t cur = n; /* start of the current trie node within host (n: the root) */
    Py_ssize_t suffix = -1;
    while (cur > 0) {
        size_t end = cur == n ? n : cur - 1;
        size_t start = end;
        while (start > 0 && host[start - 1] != '.') start--;
        uint8_t flags = psl_flags(host + start, n - start);
        if (flags & PSL_EXISTS) {
            cur = start;
            if (flags & PSL_END) suffix = (Py_ssize_t)start;
            continue;
        }
        if (cur < n && (psl_flags(host + cur, n - cur) & PSL_WILDCARD))
            suffix = (flags & PSL_EXCEPTION) ? (Py_ssize_t)cur : (Py_ssize_t)start;
        break;
    }
    if (suffix <= 0) return -1;
    size_t dot = (size_t)suffix - 1, start = dot;
    while (start > 0 && host[start - 1] != '.') start--;
    return start == dot ? -1 : (Py_ssize_t)start;
}

/* Why a resolved URL (host at url[host_at:host_at+host_len]) must not be stored, or NULL.
 * Hosts made only of digits and dots must be a dotted-quad IPv4 address. */
static const char *limit_reason(const char *url, size_t len, const char *host, size_t hlen) {
    size_t continuations = 0, i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t v = sw_load(url + i);
        if (sw_below(v, 0x20) | sw_byte(v, 0x7f)) return "control_char_url";
        uint64_t marks = v & ~(v << 1) & SW_HIGHS; /* 10xxxxxx bytes */
        continuations += (size_t)__builtin_popcountll(marks);
    }
    for (; i < len; i++) {
        unsigned char c = (unsigned char)url[i];
        if (c < 0x20 || c == 0x7f) return "control_char_url";
        continuations += (c & 0xC0) == 0x80;
    }
    if (len - continuations > MAX_URL_BYTES) return "url_too_long";
    if (hlen > MAX_HOST_BYTES) return "host_too_long";
    size_t label = 0, digits_only = 1;
    for (size_t i = 0; i < hlen; i++) {
        if (host[i] == '.') {
            label = 0;
            continue;
        }
        if (++label > MAX_LABEL_BYTES) return "host_label_too_long";
        if (host[i] < '0' || host[i] > '9') digits_only = 0;
    }
    if (!digits_only) return NULL;
    size_t parts = 0, digits = 0, value = 0;
    for (size_t i = 0; i <= hlen; i++) { /* a dotted quad of 0-255 */
        if (i == hlen || host[i] == '.') {
            if (digits == 0 || digits > 3 || value > 255) return "invalid_ip_host";
            parts++;
            digits = value = 0;
        } else {
            digits++;
            value = value * 10 + (size_t)(host[i] - '0');
        }
    }
    return parts == 4 ? NULL : "invalid_ip_host";
}

/* No control byte, space, DEL or backslash (UTF-8 bytes are fine). */
static inline int href_plain(const char *s, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v = sw_load(s + i);
        if (sw_below(v, 0x21) | sw_byte(v, 0x7f) | sw_byte(v, '\\')) return 0;
    }
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7f || c == '\\') return 0;
    }
    return 1;
}

/* True when every byte is ASCII. */
static inline int all_ascii(const unsigned char *s, size_t n) {
    size_t i = 0;
    uint64_t high = 0;
    for (; i + 8 <= n; i += 8) high |= sw_load((const char *)s + i) & SW_HIGHS;
    for (; i < n; i++) high |= s[i] & 0x80;
    return high == 0;
}

static inline char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c; }

/* Length of a leading URL scheme ("mailto" of "mailto:x"), 0 if there is none. */
static size_t scheme_length(const char *s, size_t n) {
    if (n == 0 || !((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z')) return 0;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (c == ':') return i;
        if (!((c | 32) >= 'a' && (c | 32) <= 'z') && !(c >= '0' && c <= '9') && c != '+' &&
            c != '-' && c != '.')
            return 0;
    }
    return 0;
}

typedef struct {
    Buf url;
    size_t host_at, host_len; /* the host within url */
} Target;

/* idna_netloc(netloc) -> ASCII host | None, for a netloc with non-ASCII characters (the
 * Page.links call's argument, Python: urlsplit + IDNA, cached per host). */
static PyObject *idna_netloc;

enum { RES_OK = 0, RES_FALLBACK = 1, RES_DROP = 2 };

/* normalize_url of "scheme://..." (plain ASCII, scheme http/https of scheme_len bytes). */
static int normalize_absolute(const char *s, size_t n, size_t scheme_len, Target *t) {
    int https = scheme_len == 5;
    size_t at = scheme_len + 3; /* after "://" */
    size_t net_end = at;
    while (net_end < n && s[net_end] != '/' && s[net_end] != '?' && s[net_end] != '#') net_end++;
    size_t colon = net_end;
    int wide = 0;
    for (size_t i = at; i < net_end; i++) {
        if (s[i] == '@' || s[i] == '[' || s[i] == ']') return RES_FALLBACK;
        if (s[i] == ':' && colon == net_end) colon = i;
        wide |= (unsigned char)s[i] >= 0x80;
    }
    PyObject *idn = NULL;
    if (wide) { /* an IDN host: Python encodes it (IDNA 2003 + fallbacks), C does the rest */
        if (idna_netloc == NULL) return RES_FALLBACK;
        PyObject *netloc = PyUnicode_DecodeUTF8(s + at, (Py_ssize_t)(net_end - at), "strict");
        if (netloc == NULL) return -1;
        idn = PyObject_CallOneArg(idna_netloc, netloc);
        Py_DECREF(netloc);
        if (idn == NULL) return -1;
        if (!PyUnicode_Check(idn) || !PyUnicode_IS_ASCII(idn)) {
            Py_DECREF(idn);
            return RES_FALLBACK;
        }
        for (size_t i = colon; i < net_end; i++)
            if ((unsigned char)s[i] >= 0x80) {
                Py_DECREF(idn);
                return RES_FALLBACK;
            }
    }
    long port = -1;
    if (colon + 1 < net_end) {
        int bad = net_end - colon - 1 > 5;
        port = 0;
        for (size_t i = colon + 1; i < net_end && !bad; i++) {
            if (s[i] < '0' || s[i] > '9') bad = 1;
            port = port * 10 + (s[i] - '0');
        }
        if (bad || port > 65535) {
            Py_XDECREF(idn);
            return RES_FALLBACK;
        }
    }
    const char *hs = s + at;
    size_t hn = colon - at;
    if (idn != NULL) {
        hs = (const char *)PyUnicode_1BYTE_DATA(idn);
        hn = (size_t)PyUnicode_GET_LENGTH(idn);
    }
    while (hn > 0 && hs[hn - 1] == '.') hn--;
    if (hn == 0) {
        Py_XDECREF(idn);
        return RES_FALLBACK;
    }
    t->url.len = 0;
    if (buf_reserve(&t->url, n + hn + 8) < 0) {
        Py_XDECREF(idn);
        return -1;
    }
    buf_add(&t->url, https ? "https://" : "http://", https ? 8 : 7);
    t->host_at = t->url.len;
    char prev = 0;
    for (size_t i = 0; i < hn; i++) {
        char c = lower(hs[i]);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '.') ||
            (c == '.' && prev == '.')) {
            Py_XDECREF(idn);
            return RES_FALLBACK;
        }
        t->url.data[t->url.len++] = c;
        prev = c;
    }
    Py_XDECREF(idn);
    t->host_len = t->url.len - t->host_at;
    if (port >= 0 && port != (https ? 443 : 80)) {
        char digits[8];
        int k = snprintf(digits, sizeof digits, ":%ld", port);
        buf_add(&t->url, digits, (size_t)k);
    }
    const char *hash = memchr(s + net_end, '#', n - net_end);
    size_t frag = hash ? (size_t)(hash - s) : n;
    const char *mark = memchr(s + net_end, '?', frag - net_end);
    size_t query = mark ? (size_t)(mark - s) : frag;
    if (query == net_end) buf_add(&t->url, "/", 1);
    else buf_add(&t->url, s + net_end, query - net_end);
    if (query + 1 < frag) buf_add(&t->url, s + query, frag - query);
    return RES_OK;
}

typedef struct {
    const char *base;  /* normalised base URL (ASCII), or NULL when relative hrefs fall back */
    size_t len, scheme_len, origin_len, path_end;
    const char *host;
    size_t host_len;
    int path_ok; /* no ';' in the base path */
} Base;

/* urljoin(base, href) + normalize_url for a path href (root-relative when root), with its
 * query (query..frag, '?' included) kept when not empty and the fragment dropped. */
static int join_path(const Base *b, const char *p, size_t plen, const char *q, size_t qlen,
                     int root, Target *t) {
    const char *seg[MAX_SEGMENTS];
    size_t seglen[MAX_SEGMENTS], count = 0;
    if (!root) {
        const char *bp = b->base + b->origin_len;
        size_t bl = b->path_end - b->origin_len, start = 0;
        for (size_t i = 0; i <= bl; i++) {
            if (i == bl || bp[i] == '/') {
                if (count >= MAX_SEGMENTS) return RES_FALLBACK;
                seg[count] = bp + start;
                seglen[count++] = i - start;
                start = i + 1;
            }
        }
        if (seglen[count - 1] != 0) count--; /* the base's last segment is not a directory */
    }
    size_t first_href = count, start = 0;
    for (size_t i = 0; i <= plen; i++) {
        if (i == plen || p[i] == '/') {
            if (count >= MAX_SEGMENTS) return RES_FALLBACK;
            seg[count] = p + start;
            seglen[count++] = i - start;
            start = i + 1;
        }
    }
    (void)first_href;
    if (!root && count > 2) { /* segments[1:-1] = filter(None, segments[1:-1]) */
        size_t kept = 1;
        for (size_t i = 1; i + 1 < count; i++)
            if (seglen[i]) {
                seg[kept] = seg[i];
                seglen[kept++] = seglen[i];
            }
        seg[kept] = seg[count - 1];
        seglen[kept++] = seglen[count - 1];
        count = kept;
    }
    const char *out[MAX_SEGMENTS];
    size_t outlen[MAX_SEGMENTS], depth = 0;
    for (size_t i = 0; i < count; i++) {
        if (seglen[i] == 2 && seg[i][0] == '.' && seg[i][1] == '.') {
            if (depth) depth--;
        } else if (seglen[i] == 1 && seg[i][0] == '.') {
            continue;
        } else {
            out[depth] = seg[i];
            outlen[depth++] = seglen[i];
        }
    }
    const char *last = seg[count - 1];
    size_t last_len = seglen[count - 1];
    if ((last_len == 1 && last[0] == '.') || (last_len == 2 && last[0] == '.' && last[1] == '.')) {
        out[depth] = "";
        outlen[depth++] = 0;
    }
    t->url.len = 0;
    if (buf_reserve(&t->url, b->origin_len + plen + qlen + b->len + 2) < 0) return -1;
    buf_add(&t->url, b->base, b->origin_len);
    size_t path_at = t->url.len;
    for (size_t i = 0; i < depth; i++) {
        if (i) buf_add(&t->url, "/", 1);
        buf_add(&t->url, out[i], outlen[i]);
    }
    if (t->url.len == path_at || t->url.data[path_at] != '/') { /* "x" -> "/x", "" -> "/" */
        if (buf_reserve(&t->url, 1) < 0) return -1;
        memmove(t->url.data + path_at + 1, t->url.data + path_at, t->url.len - path_at);
        t->url.data[path_at] = '/';
        t->url.len++;
    }
    if (qlen > 1) buf_add(&t->url, q, qlen);
    t->host_at = (size_t)(b->host - b->base);
    t->host_len = b->host_len;
    return RES_OK;
}

/* One href -> RES_OK (t filled), RES_DROP (*reason set), RES_FALLBACK or -1 (error set). */
static int resolve_href(const Base *b, const char *s, size_t n, Target *t, const char **reason) {
    if (n == 0) {
        *reason = "empty_href";
        return RES_DROP;
    }
    if (!href_plain(s, n)) return RES_FALLBACK;
    size_t scheme = scheme_length(s, n);
    if (scheme) {
        char name[16];
        if (scheme < sizeof name) {
            for (size_t i = 0; i < scheme; i++) name[i] = lower(s[i]);
            name[scheme] = 0;
        } else {
            name[0] = 0;
        }
        if (strcmp(name, "http") == 0 || strcmp(name, "https") == 0) {
            if (n < scheme + 3 || s[scheme + 1] != '/' || s[scheme + 2] != '/') return RES_FALLBACK;
            return normalize_absolute(s, n, scheme, t);
        }
        static const char *non_web[] = {"javascript", "mailto", "tel",   "data", "ftp",
                                        "file",       "callto", "sms",   "skype"};
        static char reasons[9][24];
        for (size_t i = 0; i < 9; i++) {
            if (strcmp(name, non_web[i]) == 0) {
                if (!reasons[i][0]) snprintf(reasons[i], sizeof reasons[i], "%s_href", non_web[i]);
                *reason = reasons[i];
                return RES_DROP;
            }
        }
        *reason = "other_scheme_href";
        return RES_DROP;
    }
    if (b->base == NULL) return RES_FALLBACK;
    /* the base's host, as the resolver uses for relative links */
    if (s[0] == '/' && n > 1 && s[1] == '/') {
        Buf tmp = {0};
        if (buf_add(&tmp, b->base, b->scheme_len + 1) < 0 || buf_add(&tmp, s, n) < 0) {
            buf_free(&tmp);
            return -1;
        }
        int status = normalize_absolute(tmp.data, tmp.len, b->scheme_len, t);
        buf_free(&tmp);
        return status;
    }
    const char *hash = memchr(s, '#', n);
    size_t frag = hash ? (size_t)(hash - s) : n;
    if (s[0] == '#') {
        t->url.len = 0;
        if (buf_add(&t->url, b->base, b->len) < 0) return -1;
        t->host_at = (size_t)(b->host - b->base);
        t->host_len = b->host_len;
        return RES_OK;
    }
    const char *mark = memchr(s, '?', frag);
    size_t query = mark ? (size_t)(mark - s) : frag;
    if (s[0] == '/') {
        int dots = 0; /* a "/." anywhere */
        for (const char *dot = memchr(s + 1, '.', n - 1); dot != NULL && !dots;
             dot = memchr(dot + 1, '.', (size_t)(s + n - dot - 1)))
            dots = dot[-1] == '/';
        if (!dots) { /* origin + href without its fragment, as the resolver glues it */
            t->url.len = 0;
            if (buf_reserve(&t->url, b->origin_len + frag) < 0) return -1;
            buf_add(&t->url, b->base, b->origin_len);
            buf_add(&t->url, s, frag);
            t->host_at = (size_t)(b->host - b->base);
            t->host_len = b->host_len;
            return RES_OK;
        }
        if (memchr(s, ';', n)) return RES_FALLBACK;
        return join_path(b, s, query, s + query, frag - query, 1, t);
    }
    if (s[0] == '?') {
        t->url.len = 0;
        if (!b->path_ok) return RES_FALLBACK;
        if (frag - query <= 1) { /* an empty query keeps the base's */
            if (buf_add(&t->url, b->base, b->len) < 0) return -1;
        } else if (buf_add(&t->url, b->base, b->path_end) < 0 || buf_add(&t->url, s, frag) < 0) {
            return -1;
        }
        t->host_at = (size_t)(b->host - b->base);
        t->host_len = b->host_len;
        return RES_OK;
    }
    if (!b->path_ok || memchr(s, ';', n) || memchr(s, ':', n)) return RES_FALLBACK;
    return join_path(b, s, query, s + query, frag - query, 0, t);
}

/* The Base of a normalised base URL and its host (both str; host may be None). */
static int base_init(Base *b, PyObject *base, PyObject *host) {
    memset(b, 0, sizeof *b);
    if (!PyUnicode_Check(base) || !PyUnicode_Check(host) || !PyUnicode_IS_ASCII(host)) return 0;
    Py_ssize_t base_len;
    const char *s = PyUnicode_AsUTF8AndSize(base, &base_len);
    if (s == NULL) return -1;
    size_t n = (size_t)base_len;
    size_t scheme = scheme_length(s, n);
    if (!(scheme == 4 || scheme == 5) || n < scheme + 3 || s[scheme + 1] != '/') return 0;
    size_t origin = scheme + 3;
    while (origin < n && s[origin] != '/') origin++;
    if (origin == n) return 0;
    size_t path_end = origin;
    while (path_end < n && s[path_end] != '?' && s[path_end] != '#') path_end++;
    if (path_end < n && s[path_end] == '#') return 0;
    const char *h = (const char *)PyUnicode_1BYTE_DATA(host);
    size_t hl = (size_t)PyUnicode_GET_LENGTH(host);
    const char *found = NULL;
    for (size_t i = scheme + 3; i + hl <= origin; i++)
        if (memcmp(s + i, h, hl) == 0) {
            found = s + i;
            break;
        }
    if (found == NULL || !href_plain(s, n)) return 0;
    b->base = s;
    b->len = n;
    b->scheme_len = scheme;
    b->origin_len = origin;
    b->path_end = path_end;
    b->host = found;
    b->host_len = hl;
    b->path_ok = memchr(s + origin, ';', path_end - origin) == NULL;
    return 0;
}

static int count_reason(PyObject *dropped, const char *reason) {
    PyObject *key = PyUnicode_FromString(reason);
    if (key == NULL) return -1;
    PyObject *old = PyDict_GetItemWithError(dropped, key);
    long value = old ? PyLong_AsLong(old) + 1 : 1;
    PyObject *count = PyLong_FromLong(value);
    int status = count ? PyDict_SetItem(dropped, key, count) : -1;
    Py_XDECREF(count);
    Py_DECREF(key);
    return status;
}

static PyObject *ascii_str(const char *data, size_t len) {
    return PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, data, (Py_ssize_t)len);
}

static PyObject *hex_id(PyObject *prefix, Py_ssize_t position, const char *url, size_t len) {
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++)
        crc = CRC_TABLE[(crc ^ (unsigned char)url[i]) & 0xFF] ^ (crc >> 8);
    crc ^= 0xFFFFFFFFu;
    char tail[32];
    int k = snprintf(tail, sizeof tail, "%05zx%08x", (size_t)position, crc);
    PyObject *suffix = ascii_str(tail, (size_t)k);
    if (suffix == NULL) return NULL;
    PyObject *id = PyUnicode_Concat(prefix, suffix);
    Py_DECREF(suffix);
    return id;
}

/* ---- the sentence around a link ---------------------------------------------------------
 * extraction.html's rule in one pass over the block's text: whitespace folded to single
 * spaces (str.split() + " ".join), the anchor found, the sentence bounded by the last
 * sentence end before it and the first after it, where a sentence end is [.!?;] + space +
 * [A-ZÄÖÜ0-9"'(] or space + [|•·] + space (the regular expression SENTENCE_END of the
 * folded text, whose only whitespace is one space). It works on code points (the caps
 * count characters), folded straight from the block's text nodes: no block str is made. */
static inline int sentence_start_char(Py_UCS4 c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == 0xC4 || c == 0xD6 ||
           c == 0xDC || c == '"' || c == '\'' || c == '(';
}
static inline int sentence_punct(Py_UCS4 c) { return c == '.' || c == '!' || c == '?' || c == ';'; }
static inline int sentence_bar(Py_UCS4 c) { return c == '|' || c == 0x2022 || c == 0xB7; }

/* Whitespace-folded code points, built one code point at a time. */
typedef struct {
    Py_UCS4 *cp;
    size_t len, cap;
    int pending_space;
} Ucs;

static inline int ucs_push(Ucs *u, Py_UCS4 c) {
    if (is_space(c)) {
        u->pending_space = u->len > 0;
        return 0;
    }
    if (u->len + 2 > u->cap) {
        size_t cap = u->cap ? u->cap * 2 : 1024;
        Py_UCS4 *grown = PyMem_Realloc(u->cp, cap * sizeof(Py_UCS4));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        u->cp = grown;
        u->cap = cap;
    }
    if (u->pending_space) {
        u->cp[u->len++] = ' ';
        u->pending_space = 0;
    }
    u->cp[u->len++] = c;
    return 0;
}

/* The block's text as block_text() gives it (separator " ", MAX_BLOCK_CHARS), folded. */
static int block_folded(lxb_dom_node_t *block, Ucs *u) {
    size_t chars = 0;
    int first = 1;
    u->len = 0;
    u->pending_space = 0;
    for (lxb_dom_node_t *at = block->first_child; at != NULL && chars < MAX_BLOCK_CHARS;
         at = next_in(at, block)) {
        if (at->type != NODE_TEXT) continue;
        const lxb_char_t *s = as_text(at)->data.data;
        size_t len = as_text(at)->data.length, used = 0;
        if (!first) {
            u->pending_space = u->len > 0; /* the separator: a space */
            chars++;
        }
        first = 0;
        while (used < len && chars < MAX_BLOCK_CHARS) {
            uint32_t c = s[used];
            used += c < 0x80 ? 1 : utf8_next(s + used, len - used, &c);
            chars++;
            if (ucs_push(u, c) < 0) return -1;
        }
    }
    return 0;
}

/* The sentence of folded text that holds anchor (a str), at most cap characters. */
static PyObject *sentence_of(const Py_UCS4 *text, Py_ssize_t len, PyObject *anchor, Py_ssize_t cap) {
    if (len == 0) return Py_NewRef(anchor);
    Py_ssize_t alen = PyUnicode_GET_LENGTH(anchor), at = -1;
    int akind = PyUnicode_KIND(anchor);
    const void *adata = PyUnicode_DATA(anchor);
    if (alen > 0) {
        Py_UCS4 first = PyUnicode_READ(akind, adata, 0);
        for (Py_ssize_t i = 0; i + alen <= len && at < 0; i++) {
            if (text[i] != first) continue;
            Py_ssize_t k = 1;
            while (k < alen && text[i + k] == PyUnicode_READ(akind, adata, k)) k++;
            if (k == alen) at = i;
        }
    }
    if (at < 0)
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, text, cap < len ? cap : len);
    Py_ssize_t start = 0, end = len;
    for (Py_ssize_t i = 0; i + 2 <= at;) { /* non-overlapping matches inside text[:at] */
        Py_UCS4 c = text[i];
        if (sentence_punct(c) && i + 2 < at && text[i + 1] == ' ' && sentence_start_char(text[i + 2]))
            i = start = i + 2;
        else if (c == ' ' && i + 3 <= at && sentence_bar(text[i + 1]) && text[i + 2] == ' ')
            i = start = i + 3;
        else
            i++;
    }
    for (Py_ssize_t i = at + alen; i < len; i++) {
        Py_UCS4 c = text[i];
        if ((sentence_punct(c) && i + 2 < len && text[i + 1] == ' ' && sentence_start_char(text[i + 2])) ||
            (c == ' ' && i + 2 < len && sentence_bar(text[i + 1]) && text[i + 2] == ' ')) {
            end = i + 1;
            break;
        }
    }
    Py_ssize_t lo = start, hi = end;
    while (lo < hi && text[lo] == ' ') lo++;
    while (hi > lo && text[hi - 1] == ' ') hi--;
    if (hi - lo > cap) {
        lo = at - cap / 2 > start ? at - cap / 2 : start;
        hi = lo + cap < len ? lo + cap : len;
        while (lo < hi && text[lo] == ' ') lo++;
        while (hi > lo && text[hi - 1] == ' ') hi--;
    }
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, text + lo, hi - lo);
}

/* sentence(block, anchor, max_chars): the same rule for a block given as a str. */
static PyObject *sentence(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 || !PyUnicode_Check(args[0]) || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "sentence(block: str, anchor: str, max_chars: int)");
        return NULL;
    }
    Py_ssize_t cap = PyLong_AsSsize_t(args[2]);
    if (cap == -1 && PyErr_Occurred()) return NULL;
    PyObject *block = args[0];
    int kind = PyUnicode_KIND(block);
    const void *data = PyUnicode_DATA(block);
    Ucs u = {0};
    PyObject *result = NULL;
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(block); i++)
        if (ucs_push(&u, PyUnicode_READ(kind, data, i)) < 0) goto done;
    result = sentence_of(u.cp, (Py_ssize_t)u.len, args[1], cap);
done:
    PyMem_Free(u.cp);
    return result;
}

/* ---- LinkSink: kept links in Arrow's columnar layout ---------------------------------- */

/* Page.links(..., sink) appends each kept link here instead of making Python objects and
 * lists: per string column an int32 offsets buffer, the UTF-8 bytes and one validity byte
 * per row (packed into Arrow's bitmap by take()), and the positions as int32. take() hands
 * the buffers over as bytes, which a columnar consumer wraps without copying
 * (pyarrow.Array.from_buffers); extraction itself stays free of pyarrow. */
enum { S_URL, S_HOST, S_DOMAIN, S_ANCHOR, S_CONTEXT, S_HEADING, S_REGION, S_REL, S_COUNT };
static const char *SINK_NAMES[S_COUNT] = {"dst_url", "dst_host", "dst_domain", "anchor_text",
                                          "context", "section_heading", "region", "rel"};

typedef struct {
    Buf offsets, data, valid;
    Py_ssize_t nulls;
} StrColumn;

typedef struct {
    PyObject_HEAD
    Py_ssize_t rows;
    StrColumn columns[S_COUNT];
    Buf positions;
} LinkSink;

static int sink_reset(LinkSink *sink) {
    sink->rows = 0;
    sink->positions.len = 0;
    for (int i = 0; i < S_COUNT; i++) {
        StrColumn *c = &sink->columns[i];
        c->offsets.len = c->data.len = c->valid.len = 0;
        c->nulls = 0;
        int32_t zero = 0;
        if (buf_add(&c->offsets, &zero, sizeof zero) < 0) return -1;
    }
    return 0;
}

static int column_put(StrColumn *c, const char *s, Py_ssize_t n, int valid) {
    if ((size_t)n > (size_t)INT32_MAX - c->data.len) {
        PyErr_SetString(PyExc_OverflowError, "LinkSink column over 2 GiB: take() more often");
        return -1;
    }
    if (n > 0 && buf_add(&c->data, s, (size_t)n) < 0) return -1;
    int32_t end = (int32_t)c->data.len;
    char flag = (char)valid;
    c->nulls += !valid;
    if (buf_add(&c->offsets, &end, sizeof end) < 0) return -1;
    return buf_add(&c->valid, &flag, 1);
}

/* A str value (None: null) of a column. */
static int column_put_obj(StrColumn *c, PyObject *value) {
    if (value == Py_None) return column_put(c, "", 0, 0);
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(value, &n);
    return s == NULL ? -1 : column_put(c, s, n, 1);
}

static int LinkSink_init(LinkSink *self, PyObject *args, PyObject *kwds) {
    if (PyTuple_GET_SIZE(args) || (kwds && PyDict_GET_SIZE(kwds))) {
        PyErr_SetString(PyExc_TypeError, "LinkSink() takes no arguments");
        return -1;
    }
    return sink_reset(self);
}

static void LinkSink_dealloc(LinkSink *self) {
    for (int i = 0; i < S_COUNT; i++) {
        buf_free(&self->columns[i].offsets);
        buf_free(&self->columns[i].data);
        buf_free(&self->columns[i].valid);
    }
    buf_free(&self->positions);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *bytes_of(const Buf *b) {
    return PyBytes_FromStringAndSize(b->data ? b->data : "", (Py_ssize_t)b->len);
}

/* Arrow's validity bitmap (LSB first) of a column's validity bytes, or None if no nulls. */
static PyObject *validity_bitmap(const StrColumn *c, Py_ssize_t rows) {
    if (c->nulls == 0) Py_RETURN_NONE;
    PyObject *bitmap = PyBytes_FromStringAndSize(NULL, (rows + 7) / 8);
    if (bitmap == NULL) return NULL;
    unsigned char *bits = (unsigned char *)PyBytes_AS_STRING(bitmap);
    memset(bits, 0, (size_t)(rows + 7) / 8);
    for (Py_ssize_t i = 0; i < rows; i++)
        if (c->valid.data[i]) bits[i >> 3] |= (unsigned char)(1u << (i & 7));
    return bitmap;
}

/* take() -> (rows, positions, {column: (null_count, validity | None, offsets, data)}) and
 * start empty again. */
static PyObject *LinkSink_take(LinkSink *self, PyObject *Py_UNUSED(ignored)) {
    PyObject *columns = PyDict_New(), *result = NULL, *positions = NULL;
    if (columns == NULL) return NULL;
    for (int i = 0; i < S_COUNT; i++) {
        StrColumn *c = &self->columns[i];
        PyObject *validity = validity_bitmap(c, self->rows);
        PyObject *entry = validity == NULL ? NULL
                                           : Py_BuildValue("(nNNN)", c->nulls, validity,
                                                           bytes_of(&c->offsets), bytes_of(&c->data));
        if (entry == NULL || PyDict_SetItemString(columns, SINK_NAMES[i], entry) < 0) {
            Py_XDECREF(entry);
            goto done;
        }
        Py_DECREF(entry);
    }
    positions = bytes_of(&self->positions);
    if (positions == NULL) goto done;
    result = Py_BuildValue("(nOO)", self->rows, positions, columns);
    if (result != NULL && sink_reset(self) < 0) Py_CLEAR(result);
done:
    Py_XDECREF(positions);
    Py_DECREF(columns);
    return result;
}

static PyObject *LinkSink_len(LinkSink *self, void *Py_UNUSED(closure)) {
    return PyLong_FromSsize_t(self->rows);
}

static PyObject *LinkSink_truncate(LinkSink *self, PyObject *arg);

static PyMethodDef LinkSink_methods[] = {
    {"take", (PyCFunction)LinkSink_take, METH_NOARGS,
     "take() -> (rows, positions as int32 bytes, {column: (null_count, validity bitmap or "
     "None, int32 offsets, UTF-8 data)}): the links so far, in Arrow's layout; the sink "
     "starts empty again."},
    {"truncate", (PyCFunction)LinkSink_truncate, METH_O,
     "truncate(rows): forget the links after the first rows (a page that failed)."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef LinkSink_getset[] = {
    {"rows", (getter)LinkSink_len, NULL, "links appended since the last take()", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject LinkSinkType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "extraction._pagewalk.LinkSink",
    .tp_basicsize = sizeof(LinkSink),
    .tp_dealloc = (destructor)LinkSink_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Kept links of many pages, column by column in Arrow's layout (see take()).",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)LinkSink_init,
    .tp_methods = LinkSink_methods,
    .tp_getset = LinkSink_getset,
};

/* Back to the first ``rows`` links: a page that fails part-way leaves no links behind
 * (Page.links on its own failures, the caller on its own with LinkSink.truncate). */
static void sink_truncate(LinkSink *sink, Py_ssize_t rows) {
    if (rows < 0 || rows >= sink->rows) return;
    for (int i = 0; i < S_COUNT; i++) {
        StrColumn *c = &sink->columns[i];
        Py_ssize_t nulls = 0;
        for (Py_ssize_t r = 0; r < rows; r++) nulls += !c->valid.data[r];
        c->nulls = nulls;
        c->valid.len = (size_t)rows;
        c->offsets.len = (size_t)(rows + 1) * sizeof(int32_t);
        c->data.len = (size_t)((int32_t *)c->offsets.data)[rows];
    }
    sink->positions.len = (size_t)rows * sizeof(int32_t);
    sink->rows = rows;
}

static PyObject *LinkSink_truncate(LinkSink *self, PyObject *arg) {
    Py_ssize_t rows = PyLong_AsSsize_t(arg);
    if (rows == -1 && PyErr_Occurred()) return NULL;
    sink_truncate(self, rows);
    Py_RETURN_NONE;
}

/* One kept link into the sink: the URL and host as the resolver left them, the domain as
 * bytes (dom != NULL) or an object (str | None), the rest as the walk has them. */
static int sink_link(LinkSink *sink, Py_ssize_t position, const char *url, Py_ssize_t url_len,
                     const char *host, Py_ssize_t host_len, const char *dom, Py_ssize_t dom_len,
                     PyObject *domain_obj, PyObject *anchor, PyObject *context, int region,
                     PyObject *rel, PyObject *heading) {
    int32_t at = (int32_t)position;
    StrColumn *c = sink->columns;
    if (column_put(&c[S_URL], url, url_len, 1) < 0 ||
        column_put(&c[S_HOST], host, host_len, 1) < 0 ||
        (dom != NULL ? column_put(&c[S_DOMAIN], dom, dom_len, 1)
                     : column_put_obj(&c[S_DOMAIN], domain_obj)) < 0 ||
        column_put_obj(&c[S_ANCHOR], anchor) < 0 || column_put_obj(&c[S_CONTEXT], context) < 0 ||
        column_put_obj(&c[S_HEADING], heading) < 0 ||
        column_put(&c[S_REGION], REGION_NAMES[region], (Py_ssize_t)strlen(REGION_NAMES[region]), 1) < 0 ||
        column_put_obj(&c[S_REL], rel) < 0 || buf_add(&sink->positions, &at, sizeof at) < 0)
        return -1;
    sink->rows++;
    return 0;
}

/* Page.links(base, base_host, page_host, page_domain, fallback, domain_of, id_prefix,
 *            keep_internal, idna_netloc, context_chars[, sink])
 * -> (positions, urls, hosts, domains, ids, anchors, regions, rels, headings, contexts,
 *     internal, dropped)
 * Per usable href (position counts them from 1), the links that leave page_domain (all
 * of them when keep_internal; then internal holds one flag per link, else their count, and
 * internal links get "" as context). fallback(href) -> (url, host) | reason str;
 * domain_of(host) -> str | None. Only the links returned get Python objects. With a
 * LinkSink (never with keep_internal) the kept links go into it instead and the result is
 * (added, internal count, dropped); a failure leaves the sink as it was. */
enum { C_POSITIONS, C_URLS, C_HOSTS, C_DOMAINS, C_IDS, C_ANCHORS, C_REGIONS, C_RELS,
       C_HEADINGS, C_CONTEXTS, C_FLAGS, C_COUNT };

/* The href's bytes as the C resolver takes them: (text, size) with leading whitespace
 * skipped and, when it had some, trailing too; RES_FALLBACK when Python must decide. */
static int href_span(const lxb_char_t *s, size_t size, int ascii, PyObject *href,
                     const Base *base, Target *t, const char **reason) {
    size_t first = 0, last = size;
    while (first < size && (s[first] == ' ' || (s[first] >= 9 && s[first] <= 13))) first++;
    if (first > 0)
        while (last > first && (s[last - 1] == ' ' || (s[last - 1] >= 9 && s[last - 1] <= 13)))
            last--;
    int plain_ends;
    if (ascii) {
        plain_ends = size > 0 && !is_space(s[size - 1]);
    } else { /* the str's last character, as Python sees it */
        Py_ssize_t chars = PyUnicode_GET_LENGTH(href);
        plain_ends = chars > 0 && !Py_UNICODE_ISSPACE(PyUnicode_READ_CHAR(href, chars - 1));
    }
    if (first == size) {
        *reason = "empty_href";
        return RES_DROP;
    }
    if (first > 0 || plain_ends) {
        int wide_end = s[first] >= 0x80 || s[last - 1] >= 0x80;
        if (!(first > 0 && wide_end))
            return resolve_href(base, (const char *)s + first, last - first, t, reason);
    }
    return RES_FALLBACK;
}

/* The sentence around a kept external link (its anchor when it has no block); the folded
 * text of the last block is kept in block_text for the block's next link. */
static PyObject *link_context(const LinkRec *rec, PyObject *anchor, Ucs *block_text,
                              lxb_dom_node_t **folded_block, Py_ssize_t context_chars) {
    lxb_dom_node_t *block = block_of(rec->node);
    if (block == NULL) return Py_NewRef(anchor);
    if (block == *folded_block || block_folded(block, block_text) == 0) {
        *folded_block = block;
        return sentence_of(block_text->cp, (Py_ssize_t)block_text->len, anchor, context_chars);
    }
    *folded_block = NULL;
    return NULL;
}

static PyObject *Page_links(Page *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 10 && nargs != 11) {
        PyErr_SetString(PyExc_TypeError,
                        "links(base, base_host, page_host, page_domain, fallback, domain_of, "
                        "id_prefix, keep_internal, idna_netloc, context_chars[, sink])");
        return NULL;
    }
    LinkSink *sink = NULL;
    if (nargs == 11 && args[10] != Py_None) {
        if (!PyObject_TypeCheck(args[10], &LinkSinkType)) {
            PyErr_SetString(PyExc_TypeError, "sink must be a LinkSink or None");
            return NULL;
        }
        sink = (LinkSink *)args[10];
    }
    if (page_open(self) < 0) return NULL;
    PyObject *page_host = args[2], *page_domain = args[3];
    PyObject *fallback = args[4], *domain_of = args[5], *prefix = args[6];
    int keep_internal = PyObject_IsTrue(args[7]);
    if (sink != NULL && keep_internal) {
        PyErr_SetString(PyExc_ValueError, "a LinkSink takes the links that leave the site only");
        return NULL;
    }
    idna_netloc = args[8] == Py_None ? NULL : args[8];
    Py_ssize_t context_chars = PyLong_AsSsize_t(args[9]);
    if (context_chars == -1 && PyErr_Occurred()) return NULL;
    Base base;
    if (base_init(&base, args[0], args[1]) < 0) return NULL;
    const char *ph = NULL, *pd = NULL;
    Py_ssize_t phl = 0, pdl = 0;
    if (PyUnicode_Check(page_host)) ph = PyUnicode_AsUTF8AndSize(page_host, &phl);
    if (PyUnicode_Check(page_domain)) pd = PyUnicode_AsUTF8AndSize(page_domain, &pdl);
    if (PyErr_Occurred()) return NULL;
    PyObject *lists[C_COUNT] = {0}, *dropped = PyDict_New(), *result = NULL;
    for (int i = 0; i < C_COUNT; i++) lists[i] = PyList_New(0);
    Target t = {0};
    Ucs block_text = {0};
    lxb_dom_node_t *folded_block = NULL; /* the block block_text holds */
    Py_ssize_t position = 0, internal_count = 0, added = 0;
    Py_ssize_t sink_rows = sink != NULL ? sink->rows : 0;
    if (dropped == NULL) goto done;
    for (int i = 0; i < C_COUNT; i++)
        if (lists[i] == NULL) goto done;
    for (Py_ssize_t at = 0; at < self->count; at++) {
        const LinkRec *rec = &self->links[at];
        const lxb_char_t *s = rec->href && rec->href->data ? rec->href->data : (const lxb_char_t *)"";
        size_t size = rec->href && rec->href->data ? rec->href->length : 0;
        int ascii = all_ascii(s, size);
        PyObject *href = NULL; /* made only when Python must see the href */
        if (!ascii) {
            href = value_str(rec->href);
            if (href == NULL) goto done;
            Py_ssize_t n;
            s = (const lxb_char_t *)PyUnicode_AsUTF8AndSize(href, &n);
            if (s == NULL) {
                Py_DECREF(href);
                goto done;
            }
            size = (size_t)n;
        }
        const char *reason = NULL;
        PyObject *url_obj = NULL, *host_obj = NULL, *domain_obj = NULL;
        const char *url, *host, *dom = NULL; /* dom: the domain as bytes (sink only) */
        Py_ssize_t dom_len = 0;
        Py_ssize_t url_len, host_len;
        int status = size == 0 ? RES_DROP : href_span(s, size, ascii, href, &base, &t, &reason);
        if (size == 0) reason = "empty_href";
        if (status < 0) {
            Py_XDECREF(href);
            goto done;
        }
        if (status == RES_DROP) {
            Py_XDECREF(href);
            if (count_reason(dropped, reason) < 0) goto done;
            continue;
        }
        if (status == RES_OK) {
            Py_XDECREF(href);
            url = t.url.data;
            url_len = (Py_ssize_t)t.url.len;
            host = t.url.data + t.host_at;
            host_len = (Py_ssize_t)t.host_len;
        } else {
            if (href == NULL && (href = value_str(rec->href)) == NULL) goto done;
            PyObject *got = PyObject_CallOneArg(fallback, href);
            Py_DECREF(href);
            if (got == NULL) goto done;
            if (PyUnicode_Check(got)) {
                int failed = count_reason(dropped, PyUnicode_AsUTF8(got)) < 0;
                Py_DECREF(got);
                if (failed) goto done;
                continue;
            }
            if (!PyTuple_Check(got) || PyTuple_GET_SIZE(got) != 2) {
                Py_DECREF(got);
                PyErr_SetString(PyExc_TypeError, "fallback must return (url, host) or a str");
                goto done;
            }
            url_obj = Py_NewRef(PyTuple_GET_ITEM(got, 0));
            host_obj = Py_NewRef(PyTuple_GET_ITEM(got, 1));
            Py_DECREF(got);
            url = PyUnicode_AsUTF8AndSize(url_obj, &url_len);
            host = url ? PyUnicode_AsUTF8AndSize(host_obj, &host_len) : NULL;
            if (host == NULL) {
                Py_DECREF(url_obj);
                Py_DECREF(host_obj);
                goto done;
            }
        }
        reason = limit_reason(url, (size_t)url_len, host, (size_t)host_len);
        if (reason != NULL) {
            Py_XDECREF(url_obj);
            Py_XDECREF(host_obj);
            if (count_reason(dropped, reason) < 0) goto done;
            continue;
        }
        position++;
        int same_host = ph != NULL && host_len == phl && memcmp(host, ph, (size_t)phl) == 0;
        int internal = same_host;
        if (same_host) {
            domain_obj = Py_NewRef(page_domain);
        } else if (url_obj == NULL) { /* the C suffix walk (ACE rules for punycode hosts) */
            Py_ssize_t start = -1;
            int digits = 1;
            for (Py_ssize_t i = 0; i < host_len; i++)
                if (host[i] != '.' && (host[i] < '0' || host[i] > '9')) digits = 0;
            if (!digits) start = psl_registered(host, (size_t)host_len);
            if (start >= 0) {
                internal = pd != NULL && host_len - start == pdl &&
                           memcmp(host + start, pd, (size_t)pdl) == 0;
                if (sink != NULL && !internal) {
                    dom = host + start;
                    dom_len = host_len - start;
                } else if (!internal || keep_internal) {
                    domain_obj = internal ? Py_NewRef(page_domain)
                                          : ascii_str(host + start, (size_t)(host_len - start));
                }
            } else {
                domain_obj = Py_NewRef(Py_None);
            }
            if (domain_obj == NULL && dom == NULL && (!internal || keep_internal)) goto done;
        } else {
            if (host_obj == NULL) host_obj = ascii_str(host, (size_t)host_len);
            if (host_obj == NULL) goto done;
            domain_obj = PyObject_CallOneArg(domain_of, host_obj);
            if (domain_obj == NULL) {
                Py_XDECREF(url_obj);
                Py_DECREF(host_obj);
                goto done;
            }
            internal = pd != NULL && PyUnicode_Check(domain_obj) &&
                       PyUnicode_Compare(domain_obj, page_domain) == 0;
        }
        if (internal) internal_count++;
        if (internal && !keep_internal) {
            Py_XDECREF(url_obj);
            Py_XDECREF(host_obj);
            Py_XDECREF(domain_obj);
            continue;
        }
        if (sink != NULL) { /* no Python object but the anchor, context and rel */
            PyObject *anchor = link_anchor(self, rec->node), *context = NULL, *rel = NULL;
            if (anchor != NULL)
                context = link_context(rec, anchor, &block_text, &folded_block, context_chars);
            if (context != NULL) rel = rel_value(rec->rel);
            int failed = rel == NULL ||
                         sink_link(sink, position, url, url_len, host, host_len, dom, dom_len,
                                   domain_obj, anchor, context, rec->region, rel,
                                   PyList_GET_ITEM(self->chains, rec->chain)) < 0;
            Py_XDECREF(url_obj);
            Py_XDECREF(host_obj);
            Py_XDECREF(domain_obj);
            Py_XDECREF(anchor);
            Py_XDECREF(context);
            Py_XDECREF(rel);
            if (failed) goto done;
            added++;
            continue;
        }
        if (url_obj == NULL) url_obj = PyUnicode_DecodeUTF8(url, url_len, "strict");
        if (host_obj == NULL && url_obj != NULL) host_obj = ascii_str(host, (size_t)host_len);
        PyObject *anchor = url_obj ? link_anchor(self, rec->node) : NULL;
        PyObject *context = NULL;
        if (anchor != NULL)
            context = internal ? Py_NewRef(EMPTY_STR)
                               : link_context(rec, anchor, &block_text, &folded_block, context_chars);
        PyObject *items[C_COUNT] = {
            PyLong_FromSsize_t(position), url_obj, host_obj, domain_obj,
            url_obj ? hex_id(prefix, position, url, (size_t)url_len) : NULL, anchor,
            Py_NewRef(REGION_STR[rec->region]), rel_value(rec->rel),
            Py_NewRef(PyList_GET_ITEM(self->chains, rec->chain)), context,
            PyBool_FromLong(internal)};
        int failed = 0;
        for (int i = 0; i < C_COUNT; i++) {
            if (items[i] == NULL || ((i != C_FLAGS || keep_internal) && PyList_Append(lists[i], items[i]) < 0))
                failed = 1;
        }
        for (int i = 0; i < C_COUNT; i++) Py_XDECREF(items[i]);
        if (failed) goto done;
    }
    if (sink != NULL) {
        result = Py_BuildValue("(nnO)", added, internal_count, dropped);
        goto done;
    }
    PyObject *internal_out = keep_internal ? Py_NewRef(lists[C_FLAGS]) : PyLong_FromSsize_t(internal_count);
    if (internal_out == NULL) goto done;
    result = PyTuple_Pack(12, lists[0], lists[1], lists[2], lists[3], lists[4], lists[5], lists[6],
                          lists[7], lists[8], lists[9], internal_out, dropped);
    Py_DECREF(internal_out);
done:
    if (result == NULL && sink != NULL) sink_truncate(sink, sink_rows);
    buf_free(&t.url);
    PyMem_Free(block_text.cp);
    idna_netloc = NULL;
    for (int i = 0; i < C_COUNT; i++) Py_XDECREF(lists[i]);
    Py_XDECREF(dropped);
    return result;
}

/* registered_domain(host) -> str | None | False: the C suffix walk for a lower-case ASCII
 * host; False when Python must decide (other characters). */
static PyObject *psl_domain(PyObject *Py_UNUSED(module), PyObject *host) {
    if (!PyUnicode_Check(host) || !PyUnicode_IS_ASCII(host)) Py_RETURN_FALSE;
    const char *s = (const char *)PyUnicode_1BYTE_DATA(host);
    Py_ssize_t n = PyUnicode_GET_LENGTH(host);
    int digits = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
            Py_RETURN_FALSE;
        if (c != '.' && (c < '0' || c > '9')) digits = 0;
    }
    if (n == 0 || s[n - 1] == '.') Py_RETURN_FALSE;
    if (digits) Py_RETURN_NONE;
    Py_ssize_t start = psl_registered(s, (size_t)n);
    if (start < 0) Py_RETURN_NONE;
    return ascii_str(s + start, (size_t)(n - start));
}

static PyMethodDef module_methods[] = {
    {"sentence", (PyCFunction)(void (*)(void))sentence, METH_FASTCALL,
     "sentence(block, anchor, max_chars) -> the sentence of the whitespace-folded block "
     "that holds the anchor (see extraction.html.sentence_around)."},
    {"psl_load", psl_load, METH_O,
     "psl_load(rules) -> count: load the public-suffix rules the C suffix walk uses."},
    {"registered_domain", psl_domain, METH_O,
     "registered_domain(host) -> str | None | False (False: Python must decide)."},
    {"walk", walk, METH_O,
     "walk(html: bytes) -> Page: parse UTF-8 HTML with Lexbor and gather title, base href, "
     "visible text and the a[href] links (element, href, rel, region, heading chain)."},
    {"stopword_counts", (PyCFunction)(void (*)(void))stopword_counts, METH_FASTCALL,
     "stopword_counts(text, max_chars, table, max_word, languages) -> hits per language "
     "of the words of text[:max_chars].lower().split() (table: word -> language bit mask)."},
    {"url_hash", url_hash, METH_O,
     "url_hash(url) -> 8 hex digits of the CRC-32 of the URL's UTF-8 bytes (as zlib.crc32)."},
    {"find", (PyCFunction)(void (*)(void))find_bytes, METH_FASTCALL,
     "find(haystack, needle) -> haystack.find(needle), fast when needle[0] is rare."},
    {"utf8_scan", utf8_scan, METH_O,
     "utf8_scan(data: bytes) -> (valid_utf8, ascii, count of '<'): one pass, no decoding."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "extraction._pagewalk",
    "One Lexbor parse and one iterative walk per HTML page (see extraction.html).", -1,
    module_methods,
};

PyMODINIT_FUNC PyInit__pagewalk(void) {
    if (load_lexbor() < 0 || probe_lexbor() < 0) return NULL;
    crc_init();
    bits_init();
    if (PyType_Ready(&PageType) < 0 || PyType_Ready(&LinkSinkType) < 0) return NULL;
    EMPTY_STR = PyUnicode_FromStringAndSize("", 0);
    if (EMPTY_STR == NULL) return NULL;
    for (int r = 0; r < R_COUNT; r++) {
        REGION_STR[r] = PyUnicode_InternFromString(REGION_NAMES[r]);
        if (REGION_STR[r] == NULL) return NULL;
    }
    PyObject *module = PyModule_Create(&module_def);
    if (module == NULL) return NULL;
    Py_INCREF(&PageType);
    Py_INCREF(&LinkSinkType);
    if (PyModule_AddObject(module, "Page", (PyObject *)&PageType) < 0 ||
        PyModule_AddObject(module, "LinkSink", (PyObject *)&LinkSinkType) < 0 ||
        PyModule_AddIntConstant(module, "MAX_ANCHOR_CHARS", MAX_ANCHOR_CHARS) < 0 ||
        PyModule_AddIntConstant(module, "MAX_BLOCK_CHARS", MAX_BLOCK_CHARS) < 0 ||
        PyModule_AddIntConstant(module, "MAX_URL_CHARS", MAX_URL_BYTES) < 0 ||
        PyModule_AddIntConstant(module, "MAX_HOST_CHARS", MAX_HOST_BYTES) < 0 ||
        PyModule_AddIntConstant(module, "MAX_LABEL_CHARS", MAX_LABEL_BYTES) < 0) {
        Py_DECREF(&PageType);
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
