// Package gazetteer tells the jurisdiction of a Chinese policy or legal document — the
// administrative division (or functional zone) whose body issued it — from an embedded
// gazetteer of China's administrative divisions down to county level plus a small list of
// functional zones (两江新区, 雄安新区, the pilot free trade zones …).
//
// Evidence is weighed strongest first (see [Gazetteer.Resolve]): the issuing bodies (落款,
// 发文机关, the enacting congress of a date line), the document number's prefix (沪府发, 巫溪府发,
// 国办发) and the title (东营市养犬管理条例, 中华人民共和国…). The body of a document is never
// used: a place it mentions says nothing about who made the rules.
//
// Build a [Gazetteer] once with [Load] and share it: it is read-only and safe for concurrent
// use.
package gazetteer

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

//go:embed data/provinces.csv data/cities.csv data/areas.csv data/HK-MO-TW.json data/zones.csv data/abbrev.csv
var dataFS embed.FS

// Levels of a [Jurisdiction].
const (
	LevelNational = "national" // 全国
	LevelProvince = "province" // 省, 自治区, 直辖市, 特别行政区
	LevelCity     = "city"     // 地级市, 地区, 自治州, 盟
	LevelCounty   = "county"   // 市辖区, 县, 县级市, 旗, 自治县 …
	LevelZone     = "zone"     // functional zones: 新区, 自由贸易试验区, NBS 开发区 units
)

// NationalCode and NationalName identify the whole country.
const (
	NationalCode = "100000"
	NationalName = "全国"
)

// Jurisdiction is an administrative division or functional zone.
type Jurisdiction struct {
	// Code is the National Bureau of Statistics code, 6 digits (370500 东营市), 100000 for
	// 全国, 810000/820000/710000 for 香港/澳门/台湾 (GB/T 2260), and for a functional zone of
	// data/zones.csv the parent's code + "Z" + a 2-digit serial (500000Z01 两江新区).
	Code string `json:"code"`
	// Name is the full official name: 东营市.
	Name string `json:"name"`
	// Level is one of LevelNational, LevelProvince, LevelCity, LevelCounty, LevelZone.
	Level string `json:"level"`
	// Path lists the full names from the province down to this one: ["山东省","东营市"];
	// ["全国"] for the whole country. Counties of the municipalities hang directly under
	// the municipality: ["重庆市","巫溪县"].
	Path []string `json:"path"`
}

// node is one division of the gazetteer.
type node struct {
	code, name, level string
	parent            int32 // -1 for provinces and the nation
	depth             int8  // 0 nation, 1 province, 2 …
}

// Gazetteer holds the divisions and the name index. It is immutable after Load.
type Gazetteer struct {
	nodes  []node
	byCode map[string]int32
	// terms indexes every matchable string by its first two runes (one rune for the
	// one-character document-number abbreviations), longest first.
	terms   map[string][]*term
	abbr    map[string]*term
	natNode int32
}

// class tells how a term may be used.
type class uint8

const (
	cFull        class = iota // a full name (or a zone alias): anywhere
	cFullWeak                 // a two-rune county name (城区, 矿区, 雄县): only refines another place
	cProvShort                // 山东, 内蒙古: anywhere
	cCityShort                // 东营: where a place is expected
	cCountyShort              // 巫溪, 两江: in document numbers, or right after another place
	cNational                 // 中华人民共和国, 全国
	cAbbr                     // one-character abbreviation, only at the start of a document number
	cOutside                  // 香港, 澳门, 台湾: strong only at the start of a text
)

type item struct {
	node  int32
	class class
}

type term struct {
	text  string
	items []item
}

// Load parses the embedded data. The result is read-only and may be shared.
func Load() (*Gazetteer, error) {
	g := &Gazetteer{
		nodes:  make([]node, 0, 3500),
		byCode: make(map[string]int32, 3500),
		terms:  make(map[string][]*term, 6000),
		abbr:   make(map[string]*term, 64),
	}
	g.natNode = g.add(NationalCode, NationalName, LevelNational, -1)

	rows, err := readCSV("data/provinces.csv", 2)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		g.add(r[0]+"0000", r[1], LevelProvince, g.natNode)
	}
	rows, err = readCSV("data/cities.csv", 3)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if isPlaceholder(r[1]) {
			continue // municipalities' 市辖区/县 and 省直辖县级行政区划: counties hang under the province
		}
		p, ok := g.byCode[r[2]+"0000"]
		if !ok {
			return nil, fmt.Errorf("gazetteer: cities.csv: %s %s: unknown province %s", r[0], r[1], r[2])
		}
		g.add(r[0]+"00", r[1], LevelCity, p)
	}
	rows, err = readCSV("data/areas.csv", 4)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		p, ok := g.byCode[r[2]+"00"]
		if !ok {
			p, ok = g.byCode[r[3]+"0000"]
		}
		if !ok {
			return nil, fmt.Errorf("gazetteer: areas.csv: %s %s: unknown parent %s", r[0], r[1], r[2])
		}
		level := LevelCounty
		if len(r[0]) == 6 && r[0][4] == '7' {
			level = LevelZone // NBS statistical units 71–79: 开发区, 管理区, 新区
		}
		g.add(r[0], r[1], level, p)
	}
	if err := g.loadHKMOTW(); err != nil {
		return nil, err
	}
	zoneAliases, zoneShorts, err := g.loadZones()
	if err != nil {
		return nil, err
	}
	g.index(zoneAliases, zoneShorts)
	rows, err = readCSV("data/abbrev.csv", 2)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		n, ok := g.byCode[r[1]]
		if !ok || utf8.RuneCountInString(r[0]) != 1 {
			return nil, fmt.Errorf("gazetteer: abbrev.csv: bad row %q", r)
		}
		g.abbr[r[0]] = &term{text: r[0], items: []item{{n, cAbbr}}}
	}
	return g, nil
}

func isPlaceholder(name string) bool {
	return name == "市辖区" || name == "县" || strings.HasSuffix(name, "直辖县级行政区划")
}

func (g *Gazetteer) add(code, name, level string, parent int32) int32 {
	n := node{code: code, name: name, level: level, parent: parent}
	switch {
	case parent < 0:
	case parent == g.natNode:
		n.depth = 1
	default:
		n.depth = g.nodes[parent].depth + 1
	}
	g.nodes = append(g.nodes, n)
	id := int32(len(g.nodes) - 1)
	g.byCode[code] = id
	return id
}

// readCSV parses one of the embedded CSV files: a header line, then rows of exactly fields
// comma-separated fields, optionally double-quoted (the data has no commas or quotes inside
// fields). It is a small hand parser: encoding/csv costs more than the rest of Load.
func readCSV(name string, fields int) ([][]string, error) {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	text := string(b)
	n := strings.Count(text, "\n")
	rows := make([][]string, 0, n)
	flat := make([]string, 0, n*fields)
	_, text, _ = strings.Cut(text, "\n") // header
	for line := 2; text != ""; line++ {
		var l string
		l, text, _ = strings.Cut(text, "\n")
		l = strings.TrimSuffix(l, "\r")
		if l == "" {
			continue
		}
		start := len(flat)
		for f := 0; f < fields; f++ {
			var v string
			var more bool
			v, l, more = strings.Cut(l, ",")
			if (f < fields-1) != more {
				return nil, fmt.Errorf("gazetteer: %s:%d: want %d fields", name, line, fields)
			}
			if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
				v = v[1 : len(v)-1]
			}
			flat = append(flat, v)
		}
		rows = append(rows, flat[start:len(flat):len(flat)])
	}
	return rows, nil
}

// loadHKMOTW adds 香港, 澳门 and 台湾 as provincial-level divisions (their GB/T 2260
// codes). Their inner districts are not added: names such as 东区, 北区 or 中山区 would
// mostly produce false matches.
func (g *Gazetteer) loadHKMOTW() error {
	b, err := dataFS.ReadFile("data/HK-MO-TW.json")
	if err != nil {
		return fmt.Errorf("gazetteer: %w", err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("gazetteer: HK-MO-TW.json: %w", err)
	}
	codes := map[string]string{"香港特别行政区": "810000", "澳门特别行政区": "820000", "台湾省": "710000"}
	for _, name := range []string{"香港特别行政区", "澳门特别行政区", "台湾省"} {
		if _, ok := m[name]; !ok {
			return fmt.Errorf("gazetteer: HK-MO-TW.json: %s missing", name)
		}
		g.add(codes[name], name, LevelProvince, g.natNode)
	}
	return nil
}

func (g *Gazetteer) loadZones() (aliases, shorts map[int32][]string, err error) {
	rows, err := readCSV("data/zones.csv", 5)
	if err != nil {
		return nil, nil, err
	}
	aliases, shorts = map[int32][]string{}, map[int32][]string{}
	for _, r := range rows {
		p, ok := g.byCode[r[2]]
		if !ok || len(r[0]) != 9 || !strings.HasPrefix(r[0], r[2]) || r[0][6] != 'Z' {
			return nil, nil, fmt.Errorf("gazetteer: zones.csv: bad row %q", r)
		}
		if _, dup := g.byCode[r[0]]; dup {
			return nil, nil, fmt.Errorf("gazetteer: zones.csv: duplicate code %s", r[0])
		}
		id := g.add(r[0], r[1], LevelZone, p)
		for a := range strings.SplitSeq(r[3], "|") {
			if a != "" {
				aliases[id] = append(aliases[id], a)
			}
		}
		if x, ok := strings.CutPrefix(r[1], "中国（"); ok {
			if x, ok := strings.CutSuffix(x, "）自由贸易试验区"); ok {
				aliases[id] = append(aliases[id], "中国"+x+"自由贸易试验区", x+"自由贸易试验区", x+"自贸试验区", x+"自贸区")
			}
		}
		for s := range strings.SplitSeq(r[4], "|") {
			if s != "" {
				shorts[id] = append(shorts[id], s)
			}
		}
	}
	return aliases, shorts, nil
}

// index builds the term index over every node's full name, short name and aliases.
func (g *Gazetteer) index(zoneAliases, zoneShorts map[int32][]string) {
	byText := make(map[string]*term, 7000)
	addTerm := func(text string, n int32, c class) {
		text = normalize(text)
		if utf8.RuneCountInString(text) < 2 {
			return
		}
		t := byText[text]
		if t == nil {
			t = &term{text: text}
			byText[text] = t
		}
		for _, it := range t.items {
			if it.node == n {
				return
			}
		}
		t.items = append(t.items, item{n, c})
	}
	for i := range g.nodes {
		n := &g.nodes[i]
		id := int32(i)
		if id == g.natNode {
			continue
		}
		full := cFull
		switch {
		case n.level == LevelCounty && genericCounty(n.name):
			full = cFullWeak
		case outside(n.code):
			full = cOutside
		}
		addTerm(n.name, id, full)
		for _, a := range zoneAliases[id] {
			addTerm(a, id, cFull)
		}
	}
	// Short names after the full ones: a string that is somebody's full name is never read
	// as another division's short name (吉林市 is the city, not 吉林 + 市).
	for i := range g.nodes {
		n := &g.nodes[i]
		id := int32(i)
		var c class
		switch {
		case id == g.natNode:
			continue
		case outside(n.code):
			c = cFullWeak // 台湾同胞投资保护法 is national
		case n.depth == 1:
			c = cProvShort
		case n.level == LevelCity:
			c = cCityShort
		default:
			c = cCountyShort
		}
		shorts := zoneShorts[id]
		if n.level != LevelZone {
			shorts = append(shorts, ShortName(n.name))
		}
		for _, s := range shorts {
			if t := byText[s]; t != nil && t.items[0].class <= cFullWeak {
				continue
			}
			if s != n.name {
				addTerm(s, id, c)
			}
		}
	}
	for _, s := range []string{"中华人民共和国", "全国"} {
		byText[s] = &term{text: s, items: []item{{g.natNode, cNational}}}
	}
	for _, t := range byText {
		k := firstRunes(t.text, 2)
		g.terms[k] = append(g.terms[k], t)
	}
	for _, ts := range g.terms {
		slices.SortFunc(ts, func(a, b *term) int { return len(b.text) - len(a.text) })
	}
}

func firstRunes(s string, n int) string {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return s[:i]
}

// outside reports whether code is 香港, 澳门 or 台湾. A mainland title that names them
// (关于内地与香港特别行政区相互执行仲裁裁决的安排, 台湾同胞投资保护法) is about them, not theirs:
// their full names count only at the start of a text, their short names (香港, 台湾) never;
// elsewhere they merely refine.
func outside(code string) bool {
	return code == "810000" || code == "820000" || code == "710000"
}

// genericCounty reports whether a county-level name reads like a common noun and should
// only refine a place named elsewhere: two-character names (城区, 矿区, 郊区, 雄县) and names
// whose short form is two characters with 城, 市, 中 or 郊 in it (老城区, 古城区, 新市区, 市中区):
// 关于加强老城区改造的通知 is not about 洛阳.
func genericCounty(name string) bool {
	if utf8.RuneCountInString(name) <= 2 {
		return true
	}
	s := ShortName(name)
	return utf8.RuneCountInString(s) == 2 && strings.ContainsAny(s, "城市中郊")
}

// ethnic lists, space-separated, the names of the ethnic groups that appear in the names of autonomous
// divisions (广西壮族自治区, 延边朝鲜族自治州, 大厂回族自治县), longest first where one is a
// prefix of another.
const ethnic = "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"

// suffixes lists, space-separated, the generic endings of division names, longest first.
const suffixes = "特别行政区 自治区 自治州 自治县 自治旗 林区 特区 新区 地区 省 市 县 区 盟"

// ShortName returns a division name without its generic ending and ethnic qualifiers:
// 山东省 → 山东, 广西壮族自治区 → 广西, 延边朝鲜族自治州 → 延边, 东营市 → 东营,
// 锡林郭勒盟 → 锡林郭勒. A name whose short form would have fewer than two characters
// (义县, 和县) is returned unchanged, as is a name without a known ending.
func ShortName(name string) string {
	for suf := range strings.FieldsSeq(suffixes) {
		rest, ok := strings.CutSuffix(name, suf)
		if !ok {
			continue
		}
		if strings.HasPrefix(suf, "自治") {
			for changed := true; changed; {
				changed = false
				for e := range strings.FieldsSeq(ethnic) {
					r, ok := strings.CutSuffix(rest, e+"族")
					if !ok {
						r, ok = strings.CutSuffix(rest, e) // 新疆维吾尔自治区, 伊犁哈萨克自治州
					}
					if ok && utf8.RuneCountInString(r) >= 2 {
						rest, changed = r, true
						break
					}
				}
			}
		}
		if utf8.RuneCountInString(rest) < 2 {
			return name
		}
		return rest
	}
	return name
}

// maxText bounds the bytes read from one piece of evidence: titles, issuers and document
// numbers are short, and hostile input must not cost more than a few microseconds.
const maxText = 1024

// clip cuts s to at most maxText bytes, at a rune boundary.
func clip(s string) string {
	if len(s) <= maxText {
		return s
	}
	i := maxText
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}

// normalize maps ASCII and full-width variants of brackets to one form and removes white
// space, so that 中国(上海)自由贸易试验区 and 中国（上海）自由贸易试验区 read alike.
func normalize(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '(':
			return '（'
		case ')':
			return '）'
		case '[', '［', '【', '﹝', '〘', '⟦':
			return '〔'
		case ']', '］', '】', '﹞', '〙', '⟧':
			return '〕'
		case ' ', '\t', '\n', '\r', '\u3000', '\u00a0':
			return -1
		}
		return r
	}, s)
}

// jur builds the exported value of a node.
func (g *Gazetteer) jur(id int32) Jurisdiction {
	n := &g.nodes[id]
	d := max(int(n.depth), 1)
	path := make([]string, d)
	for p := id; d > 0; p = g.nodes[p].parent {
		d--
		path[d] = g.nodes[p].name
	}
	return Jurisdiction{Code: n.code, Name: n.name, Level: n.level, Path: path}
}

// National returns the jurisdiction of the whole country: code 100000, name 全国.
func (g *Gazetteer) National() Jurisdiction { return g.jur(g.natNode) }

// ByCode returns the division or zone with the given code (6-digit NBS code, 100000, or a
// zone code such as 500000Z01).
func (g *Gazetteer) ByCode(code string) (Jurisdiction, bool) {
	id, ok := g.byCode[strings.TrimSpace(code)]
	if !ok {
		return Jurisdiction{}, false
	}
	return g.jur(id), true
}

// Lookup returns the divisions and zones a name may designate: a full name (东营市,
// 朝阳区 → both 朝阳区), a short name (东营, 山东, 内蒙古, 延边), a zone alias (上海自贸区),
// 全国/中华人民共和国, or a code. Candidates come in gazetteer order (by code); nil when
// nothing matches.
func (g *Gazetteer) Lookup(name string) []Jurisdiction {
	name = normalize(name)
	if id, ok := g.byCode[name]; ok {
		return []Jurisdiction{g.jur(id)}
	}
	if name == "中国" {
		return []Jurisdiction{g.National()}
	}
	var out []Jurisdiction
	for _, t := range g.terms[firstRunes(name, 2)] {
		if t.text != name {
			continue
		}
		for _, it := range t.items {
			out = append(out, g.jur(it.node))
		}
	}
	return out
}

// Within reports whether j is at or below the division ancestor, given by full name
// (山东省), short name (山东), or code (370000; a province code matches every code under
// it, a city code xxxx00 every code under that city). Everything is within 全国 (also
// written 中国, 中华人民共和国 or 100000). It needs no Gazetteer: a region filter can apply
// it to stored values.
func Within(j Jurisdiction, ancestor string) bool {
	ancestor = normalize(ancestor)
	if ancestor == "" || j.Code == "" {
		return false
	}
	switch ancestor {
	case NationalName, NationalCode, "中国", "中华人民共和国":
		return true
	}
	if ancestor == j.Code {
		return true
	}
	if isDigits(ancestor) {
		if len(ancestor) != 6 {
			return false
		}
		switch {
		case strings.HasSuffix(ancestor, "0000"):
			return strings.HasPrefix(j.Code, ancestor[:2])
		case strings.HasSuffix(ancestor, "00"):
			return strings.HasPrefix(j.Code, ancestor[:4])
		default:
			return strings.HasPrefix(j.Code, ancestor)
		}
	}
	for _, p := range j.Path {
		if p == ancestor || ShortName(p) == ancestor {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
