package html

import "strings"

// toolTokens are the words of print, close, font-size, share and
// statistics widgets, longest first; a short paragraph made of nothing
// else is chrome.
var toolTokens = []string{
	"扫一扫在手机上查看当前页面", "我要打印", "超大", "标准", "扫一扫在手机打开当前页", "无障碍阅读", "打印本页", "打印此页", "打印文章", "打印正文", "关闭窗口", "关闭本页",
	"返回顶部", "回到顶部", "返回首页", "返回列表", "收藏本页", "加入收藏", "字体大小", "扫码浏览", "手机扫码", "我要纠错", "浏览次数",
	"阅读次数", "微信好友", "新浪微博", "下载原文", "长者模式", "护眼模式", "复制链接", "分享到", "扫一扫", "浏览量", "访问量",
	"点击数", "点击量", "朋友圈", "QQ空间", "QQ好友", "打印", "关闭", "返回", "收藏", "字号", "字体", "默认", "分享",
	"保存", "纠错", "微信", "微博", "取消", "放大", "缩小", "下载", "繁体", "简体", "繁體", "大", "中", "小", "次",
	"A+", "A-",
}

// isToolText reports whether text is nothing but widget words,
// punctuation and counts (打印 关闭窗口, 字体：大 中 小, 浏览次数：123).
// Single-rune words (大, 中, 小, 次) alone are not enough.
func isToolText(text string) bool {
	multi := false
	for text != "" {
		r := []rune(text)
		if isSpace(r[0]) || isToolPunct(r[0]) || (r[0] >= '0' && r[0] <= '9') {
			text = text[len(string(r[0])):]
			continue
		}
		matched := false
		for _, t := range toolTokens {
			if strings.HasPrefix(text, t) {
				if len([]rune(t)) > 1 {
					multi = true
				}
				text = text[len(t):]
				matched = true
				break
			}
		}
		if !matched {
			return false
		}
	}
	return multi
}

// isToolPunct reports whether r is punctuation that widget words are
// wrapped in.
func isToolPunct(r rune) bool {
	return strings.ContainsRune("【】[]（）()|｜:：·•/-—_、,，.。<>《》〔〕\"'“”!！?？+-", r)
}

// strongFooter are phrases only a site footer contains.
var strongFooter = []string{"ICP备", "ICP证", "公网安备", "网站标识码", "版权所有", "Copyright", "copyright", "©", "政府网站标识码", "网站识别码"}

// weakFooter are phrases a footer contains, and some documents too.
var weakFooter = []string{
	"主办单位", "承办单位", "协办单位", "技术支持", "联系我们", "网站地图", "网站声明",
	"隐私声明", "网站纠错", "关于我们", "建议使用", "分辨率", "浏览器", "联系电话",
	"主办：", "承办：", "维护单位", "运维单位", "使用帮助", "无障碍",
}

// isChromeText reports whether a paragraph of the body is chrome: a
// breadcrumb, a widget line, a footer line or a related-list label.
func isChromeText(s string) bool {
	compact := strings.Map(func(r rune) rune {
		if isSpace(r) {
			return -1
		}
		return r
	}, s)
	n := runes(compact)
	if n <= 200 && isBreadcrumb(compact) {
		return true
	}
	if n <= 60 && isToolText(compact) {
		return true
	}
	if n <= 30 {
		label := strings.Trim(compact, "【】[]：:()（）<>《》")
		for _, l := range relatedLabels {
			if label == l {
				return true
			}
		}
	}
	strong, weak := 0, 0
	for _, f := range strongFooter {
		if strings.Contains(compact, f) {
			strong++
		}
	}
	for _, f := range weakFooter {
		if strings.Contains(compact, f) {
			weak++
		}
	}
	switch {
	case strong > 0 && n <= 120:
		return true
	case strong+weak >= 2 && n <= 240:
		return true
	}
	return false
}
