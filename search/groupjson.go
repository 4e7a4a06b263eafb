package search

import "strconv"

// AppendJSON appends the JSON form of r to b: byte for byte what
// encoding/json's Marshal gives, as Response.AppendJSON.
func (r *GroupedResponse) AppendJSON(b []byte) ([]byte, error) {
	var err error
	b = append(b, `{"query":`...)
	b = appendJSONString(b, r.Query)
	b = append(b, `,"total":`...)
	b = strconv.AppendUint(b, r.Total, 10)
	b = append(b, `,"total_documents":`...)
	b = strconv.AppendUint(b, r.TotalDocuments, 10)
	b = append(b, `,"took_ms":`...)
	if b, err = appendJSONFloat(b, r.TookMS); err != nil {
		return b, err
	}
	b = append(b, `,"documents":`...)
	if r.Documents == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Documents {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = r.Documents[i].appendJSON(b); err != nil {
				return b, err
			}
		}
		b = append(b, ']')
	}
	b = appendFacetsJSON(b, &r.Facets)
	b = append(b, `,"terms":`...)
	b = appendJSONStrings(b, r.Terms)
	if r.Notice != "" {
		b = append(b, `,"notice":`...)
		b = appendJSONString(b, r.Notice)
	}
	if j := r.Jump; j != nil {
		b = appendJumpJSON(b, j)
	}
	return append(b, '}'), nil
}

func (g *DocGroup) appendJSON(b []byte) ([]byte, error) {
	var err error
	b = append(b, `{"doc_id":`...)
	b = appendJSONString(b, g.DocID)
	b = append(b, `,"title":`...)
	b = appendJSONString(b, g.Title)
	b = append(b, `,"district":`...)
	b = appendJSONString(b, g.District)
	if g.Status != "" {
		b = append(b, `,"status":`...)
		b = appendJSONString(b, g.Status)
	}
	if g.IssueDate != "" {
		b = append(b, `,"issue_date":`...)
		b = appendJSONString(b, g.IssueDate)
	}
	b = append(b, `,"url":`...)
	b = appendJSONString(b, g.URL)
	b = append(b, `,"total":`...)
	b = strconv.AppendUint(b, g.Total, 10)
	b = append(b, `,"score":`...)
	if b, err = appendJSONFloat(b, g.Score); err != nil {
		return b, err
	}
	b = append(b, `,"hits":`...)
	if g.Hits == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range g.Hits {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = g.Hits[i].appendJSON(b); err != nil {
				return b, err
			}
		}
		b = append(b, ']')
	}
	if len(g.Versions) > 0 {
		b = append(b, `,"versions":`...)
		b = appendJSONArray(b, g.Versions, func(b []byte, v VersionMatch) []byte {
			b = append(b, `{"doc_id":`...)
			b = appendJSONString(b, v.DocID)
			if v.Status != "" {
				b = append(b, `,"status":`...)
				b = appendJSONString(b, v.Status)
			}
			if v.IssueDate != "" {
				b = append(b, `,"issue_date":`...)
				b = appendJSONString(b, v.IssueDate)
			}
			b = append(b, `,"url":`...)
			b = appendJSONString(b, v.URL)
			b = append(b, `,"total":`...)
			b = strconv.AppendUint(b, v.Total, 10)
			return append(b, '}')
		})
	}
	return append(b, '}'), nil
}

// appendFacetsJSON appends ,"facets":{…} with every facet of f.
func appendFacetsJSON(b []byte, f *Facets) []byte {
	b = append(b, `,"facets":{"district":`...)
	b = appendFacetJSON(b, f.District)
	b = append(b, `,"theme":`...)
	b = appendFacetJSON(b, f.Theme)
	b = append(b, `,"section":`...)
	b = appendFacetJSON(b, f.Section)
	b = append(b, `,"type":`...)
	b = appendFacetJSON(b, f.Type)
	b = append(b, `,"region":`...)
	b = appendFacetJSON(b, f.Region)
	b = append(b, `,"doctype":`...)
	b = appendFacetJSON(b, f.DocType)
	b = append(b, `,"level":`...)
	b = appendFacetJSON(b, f.Level)
	b = append(b, `,"status":`...)
	b = appendFacetJSON(b, f.Status)
	b = append(b, `,"year":`...)
	b = appendFacetJSON(b, f.Year)
	return append(b, '}')
}

// appendJumpJSON appends ,"jump":{…}.
func appendJumpJSON(b []byte, j *Jump) []byte {
	for i, kv := range [][2]string{{"doc_id", j.DocID}, {"title", j.Title}, {"article", j.Article}, {"unit_id", j.UnitID},
		{"url", j.URL}, {"citation", j.Citation}, {"text", j.Text}} {
		if i == 0 {
			b = append(b, `,"jump":{`...)
		} else {
			b = append(b, ',')
		}
		b = appendJSONString(b, kv[0])
		b = append(b, ':')
		b = appendJSONString(b, kv[1])
	}
	return append(b, '}')
}
