package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// benchGet measures one route through the whole handler stack
// (middleware, search, templates, gzip off).
func benchGet(b *testing.B, target string) {
	f := seedFixture(b)
	req := httptest.NewRequest(http.MethodGet, "http://zhengce.test"+target, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		f.server.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

func BenchmarkAPISearchPhrase(b *testing.B) {
	benchGet(b, "/api/search?q="+q(`"集团化办学"`)+"&limit=1000")
}
func BenchmarkAPISearchWords(b *testing.B) { benchGet(b, "/api/search?q="+q("学前教育 普惠")) }
func BenchmarkSearchPage(b *testing.B) {
	benchGet(b, "/search?q="+q("集团化办学")+"&district="+q("巫溪县"))
}
func BenchmarkReader(b *testing.B) { benchGet(b, "/d/wuxi-2022") }
func BenchmarkReaderHighlight(b *testing.B) {
	benchGet(b, "/c/wuxi-2022/3.7.3?q="+q("集团化办学"))
}
func BenchmarkCompare(b *testing.B) { benchGet(b, "/compare?q="+q("集团化办学")) }
func BenchmarkTargets(b *testing.B) { benchGet(b, "/targets?q="+q("毛入园率")) }
