package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/search/export"
)

// parseTargetFilter validates the parameters of /targets and /api/targets:
// q, district (repeatable), source (table|text), kind (target|result),
// min and max (bounds on the promised value).
func parseTargetFilter(c echo.Context) (corpus.TargetFilter, error) {
	q, err := parseQuery(c)
	if err != nil {
		return corpus.TargetFilter{}, err
	}
	f := corpus.TargetFilter{Query: q.Q, Districts: q.Filters["district"]}
	vals := c.QueryParams()
	switch src := vals.Get("source"); src {
	case "", corpus.SourceTable, corpus.SourceText:
		f.Source = src
	default:
		return f, corpus.Errorf(corpus.EINVALID, "参数 source 只能是 table 或 text")
	}
	switch kind := vals.Get("kind"); kind {
	case "", corpus.KindTarget, corpus.KindResult:
		f.Kind = kind
	default:
		return f, corpus.Errorf(corpus.EINVALID, "参数 kind 只能是 target 或 result")
	}
	if f.Min, err = floatParam(vals, "min"); err != nil {
		return f, err
	}
	if f.Max, err = floatParam(vals, "max"); err != nil {
		return f, err
	}
	return f, nil
}

// targetValues are the URL parameters of f.
func targetValues(f corpus.TargetFilter) url.Values {
	v := url.Values{}
	if f.Query != "" {
		v.Set("q", f.Query)
	}
	for _, d := range f.Districts {
		v.Add("district", d)
	}
	if f.Source != "" {
		v.Set("source", f.Source)
	}
	if f.Kind != "" {
		v.Set("kind", f.Kind)
	}
	if f.Min != nil {
		v.Set("min", strconv.FormatFloat(*f.Min, 'f', -1, 64))
	}
	if f.Max != nil {
		v.Set("max", strconv.FormatFloat(*f.Max, 'f', -1, 64))
	}
	return v
}

// handleTargetsCSV serves /targets.csv.
func (s *Server) handleTargetsCSV(c echo.Context) error {
	f, err := parseTargetFilter(c)
	if err != nil {
		return err
	}
	return s.writeTargetsCSV(c, f)
}

// writeTargetsCSV writes the targets matching f with the one CSV writer
// of zhengce (export.WriteTargetsCSV, shared with `zhengce targets --csv`).
func (s *Server) writeTargetsCSV(c echo.Context, f corpus.TargetFilter) error {
	ts := s.docs().Targets(f)
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	res.Header().Set(echo.HeaderContentDisposition, `attachment; filename="targets.csv"; filename*=UTF-8''%E7%9B%AE%E6%A0%87%E6%8C%87%E6%A0%87.csv`)
	res.WriteHeader(http.StatusOK)
	return export.WriteTargetsCSV(res, ts, nil)
}

// pointText renders a point for people: comparator, value, unit.
func pointText(p corpus.Point, unit string) string {
	if p.Value == nil {
		if p.Raw != "" {
			if p.Unparsed {
				return p.Raw + "（原文，未能解析）"
			}
			return p.Raw
		}
		return "—"
	}
	v := strconv.FormatFloat(*p.Value, 'f', -1, 64)
	cmp := p.Comparator
	if cmp == "=" {
		cmp = ""
	}
	if p.Max != nil || cmp == "range" {
		hi := ""
		if p.Max != nil {
			hi = strconv.FormatFloat(*p.Max, 'f', -1, 64)
		}
		return v + "–" + hi + unit
	}
	return cmp + v + unit
}

// kindName is the Simplified Chinese name of a target kind.
func kindName(k string) string {
	if k == corpus.KindResult {
		return "已实现"
	}
	return "目标"
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
