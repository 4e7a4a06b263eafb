package ofd

import (
	"context"
	"errors"
	"io"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/zipfile"
)

// run is a piece of text set on one baseline, in page millimetres.
type run struct {
	x0, x1, y, size float64
	text            string
	n               int // runes
}

// content is what one page (or template page) content file holds.
type content struct {
	runs          []run
	images        int
	width, height float64 // its Area/PhysicalBox, 0 when absent
	templates     []string
	textBytes     int64 // bytes of text in runs
}

// extractor reads the pages of one document.
type extractor struct {
	a         *zipfile.Archive
	doc       *document
	maxText   int64
	text      int64
	images    int
	templates map[string]*content // by template ID
}

// textObject is the state of an open TextObject.
type textObject struct {
	bx, by float64    // Boundary origin
	size   float64    // font size, object units
	ctm    [6]float64 // a b c d e f
	hasCTM bool
	skew   bool    // turned by an angle that is not a multiple of 90°: a watermark
	x, y   float64 // where the next TextCode without X, Y starts
}

// page returns the lines of the page whose content file is at loc.
func (ex *extractor) page(ctx context.Context, loc string) ([]corpus.Block, error) {
	name, ok := resolve(ex.a, loc, ex.doc.name, path.Dir(ex.doc.name))
	if !ok {
		return nil, nil // a missing page is a blank page
	}
	c, err := ex.parse(ctx, name)
	if err != nil {
		return nil, err
	}
	runs := c.runs
	images := c.images
	for _, id := range c.templates {
		t, err := ex.template(ctx, id)
		if err != nil {
			return nil, err
		}
		if t != nil {
			// A template's text counts on every page that uses it.
			if err := ex.count(t.textBytes); err != nil {
				return nil, err
			}
			runs = append(append([]run(nil), t.runs...), runs...)
			images += t.images
		}
	}
	ex.images += images
	height := ex.doc.height
	if c.height > 0 {
		height = c.height
	}
	return buildLines(runs, height), nil
}

// template returns the content of template page id, read once.
func (ex *extractor) template(ctx context.Context, id string) (*content, error) {
	if c, ok := ex.templates[id]; ok {
		return c, nil
	}
	ex.templates[id] = nil // a template that uses itself adds nothing
	loc, ok := ex.doc.templates[id]
	if !ok {
		return nil, nil
	}
	name, ok := resolve(ex.a, loc, ex.doc.name, path.Dir(ex.doc.name))
	if !ok {
		return nil, nil
	}
	c, err := ex.parse(ctx, name)
	if err != nil {
		return nil, err
	}
	ex.text -= c.textBytes // counted on each page that uses it instead
	ex.templates[id] = c
	return c, nil
}

// parse reads a page content file.
func (ex *extractor) parse(ctx context.Context, name string) (*content, error) {
	d, err := ex.a.Decoder(ctx, name)
	if err != nil {
		return nil, err
	}
	c := &content{}
	var obj *textObject
	var code struct {
		open   bool
		x, y   float64
		hasX   bool
		hasY   bool
		dx, dy string
		text   strings.Builder
	}
	areaDepth := 0
	var box strings.Builder
	for {
		k, err := d.Next()
		if errors.Is(err, io.EOF) {
			return c, nil
		}
		if err != nil {
			return nil, err
		}
		switch k {
		case zipfile.Start:
			switch d.Local() {
			case "Area":
				if d.Depth() == 2 {
					areaDepth = d.Depth()
				}
			case "Template":
				if id := d.Attr("TemplateID"); id != "" && len(c.templates) < 16 {
					c.templates = append(c.templates, id)
				}
			case "ImageObject":
				c.images++
			case "TextObject":
				obj = newTextObject(d)
			case "TextCode":
				if obj == nil {
					break
				}
				code.open = true
				code.x, code.hasX = attrFloat(d.Attr("X"))
				code.y, code.hasY = attrFloat(d.Attr("Y"))
				code.dx, code.dy = d.Attr("DeltaX"), d.Attr("DeltaY")
				code.text.Reset()
			case "PathObject", "FillColor", "StrokeColor", "CGTransform":
				if _, err := d.SkipRaw(); err != nil {
					return nil, err
				}
			case "Actions", "Clips":
				if err := d.Skip(); err != nil {
					return nil, err
				}
			}
		case zipfile.Text:
			if code.open {
				code.text.Write(d.Text())
			} else if areaDepth > 0 && box.Len() < 256 {
				box.Write(d.Text())
			}
		case zipfile.End:
			switch d.Local() {
			case "TextCode":
				if code.open && obj != nil {
					code.open = false
					if !code.hasX {
						code.x = obj.x
					}
					if !code.hasY {
						code.y = obj.y
					}
					if err := ex.addCode(c, obj, code.x, code.y, code.dx, code.dy, code.text.String()); err != nil {
						return nil, err
					}
				}
			case "TextObject":
				obj = nil
			case "PhysicalBox":
				if areaDepth > 0 {
					if f := floats(box.String()); len(f) == 4 && f[2] > 0 && f[3] > 0 {
						c.width, c.height = f[2], f[3]
					}
					box.Reset()
				}
			case "Area":
				if d.Depth() < areaDepth {
					areaDepth = 0
				}
			}
		}
	}
}

func newTextObject(d *zipfile.Decoder) *textObject {
	o := &textObject{ctm: [6]float64{1, 0, 0, 1, 0, 0}}
	if b := floats(d.Attr("Boundary")); len(b) >= 2 {
		o.bx, o.by = b[0], b[1]
	}
	o.size, _ = attrFloat(d.Attr("Size"))
	if o.size <= 0 || o.size > 1000 {
		o.size = 3.5 // about 10 pt
	}
	if m := floats(d.Attr("CTM")); len(m) == 6 {
		copy(o.ctm[:], m)
		o.hasCTM = true
		a, b := math.Abs(m[0]), math.Abs(m[1])
		o.skew = a > 0.1*b && b > 0.1*a
	}
	return o
}

func attrFloat(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// deltas parses a DeltaX or DeltaY list ("5.6 g 3 2.8 5.6": "g N v" is N
// times v), keeping at most n values.
func deltas(s string, n int) []float64 {
	if s == "" || n <= 0 {
		return nil
	}
	f := strings.Fields(s)
	out := make([]float64, 0, min(n, len(f)*2))
	for i := 0; i < len(f) && len(out) < n; i++ {
		if f[i] == "g" && i+2 < len(f) {
			cnt, err1 := strconv.Atoi(f[i+1])
			v, err2 := strconv.ParseFloat(f[i+2], 64)
			i += 2
			if err1 != nil || err2 != nil || cnt < 0 {
				continue
			}
			for j := 0; j < cnt && len(out) < n; j++ {
				out = append(out, v)
			}
			continue
		}
		if v, err := strconv.ParseFloat(f[i], 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
			out = append(out, v)
		}
	}
	return out
}

// advance is the width a glyph takes when DeltaX does not say: a full em
// for CJK and other wide characters, half an em otherwise.
func advance(r rune, size float64) float64 {
	if isWide(r) {
		return size
	}
	return size / 2
}

func isWide(r rune) bool {
	return r >= 0x2E80 && r <= 0x9FFF || r >= 0xAC00 && r <= 0xD7AF || r >= 0xF900 && r <= 0xFAFF ||
		r >= 0xFE30 && r <= 0xFE4F || r >= 0xFF00 && r <= 0xFF60 || r >= 0xFFE0 && r <= 0xFFE6 ||
		r >= 0x20000 && r <= 0x3FFFF || r == '—' || r == '…'
}

// addCode adds the runs of one TextCode: its glyphs, placed by X, Y and
// the deltas, split where the baseline moves or the pen goes back (a
// TextCode may set several lines), transformed to the page.
func (ex *extractor) addCode(c *content, o *textObject, x, y float64, dxs, dys, text string) error {
	runes := []rune(text)
	if len(runes) == 0 || o.skew {
		return nil
	}
	c.textBytes += int64(len(text))
	if err := ex.count(int64(len(text))); err != nil {
		return err
	}
	dx := deltas(dxs, len(runes)-1)
	dy := deltas(dys, len(runes)-1)
	scale := 1.0
	if o.hasCTM {
		scale = math.Sqrt(math.Abs(o.ctm[0]*o.ctm[3] - o.ctm[1]*o.ctm[2]))
		if scale == 0 || math.IsNaN(scale) || math.IsInf(scale, 0) {
			scale = 1
		}
	}
	size := o.size * scale
	vertical := len(dy) > 0 && allZero(dx) && !allZero(dy)
	var cur []rune
	var sx, sy, lastX, lastY, lastAdv float64
	flush := func() {
		if len(cur) == 0 {
			return
		}
		t := string(cur)
		cur = cur[:0]
		if strings.TrimSpace(t) == "" {
			return
		}
		px0, py := o.point(sx, sy)
		px1, _ := o.point(lastX+lastAdv, lastY)
		if vertical {
			px1 = px0 + size
		}
		if px1 < px0 {
			px0, px1 = px1, px0
		}
		c.runs = append(c.runs, run{x0: px0, x1: px1, y: py, size: size, text: strings.TrimSpace(t), n: len([]rune(t))})
	}
	gx, gy := x, y
	for i, r := range runes {
		adv := advance(r, o.size)
		if i < len(dx) {
			adv = dx[i]
		} else if vertical {
			adv = 0
		}
		if len(cur) > 0 && !vertical && (math.Abs(gy-lastY) > 0.3*o.size || gx < lastX-0.1*o.size) {
			flush()
		}
		if len(cur) == 0 {
			sx, sy = gx, gy
		}
		cur = append(cur, r)
		lastX, lastY, lastAdv = gx, gy, max(adv, advance(r, o.size)*0.5)
		gx += adv
		if i < len(dy) {
			gy += dy[i]
		}
	}
	flush()
	o.x, o.y = gx, gy
	return nil
}

// count adds n bytes to the extracted text and fails over the limit.
func (ex *extractor) count(n int64) error {
	ex.text += n
	if ex.text > ex.maxText {
		return corpus.Errorf(corpus.ETOOLARGE, "OFD 文件的文字超过 %s 上限；请拆分后再上传", zipfile.MB(ex.maxText))
	}
	return nil
}

func allZero(v []float64) bool {
	for _, f := range v {
		if f != 0 {
			return false
		}
	}
	return true
}

// point transforms a point of a text object to page coordinates.
func (o *textObject) point(x, y float64) (float64, float64) {
	m := o.ctm
	return o.bx + m[0]*x + m[2]*y + m[4], o.by + m[1]*x + m[3]*y + m[5]
}
