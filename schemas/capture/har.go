package capture

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// parseHAR streams a HAR 1.2 file token by token (harLexer): the file is
// never held whole, each entry is read into a bounded value (MaxHeaders
// headers, MaxBody of body, every other string cut short) and only entries
// whose status opts.Keep accepts are kept. Memory is bounded whatever the
// input; time by MaxHARInput and MaxHAREntries. When a limit is reached
// after some exchanges were kept, they are returned with Capture.Stopped
// saying which limit ended the reading; before, the limit is the error.
func parseHAR(r io.Reader, opts *Options) (*Capture, error) {
	lex := newHARLexer(r, MaxHARInput)
	h := &harReader{dec: lex, opts: opts, c: &Capture{Format: FormatHAR}}
	foundLog, foundEntries := false, false
	err := h.object(func(key string) error {
		if key != "log" {
			return h.skip()
		}
		foundLog = true
		return h.object(func(key string) error {
			if key != "entries" {
				return h.skip()
			}
			foundEntries = true
			return h.array(func(i int) error {
				if i >= MaxHAREntries {
					return &harLimitError{fmt.Sprintf("the HAR file has more than %d entries, the most read", MaxHAREntries)}
				}
				return h.entry(i)
			})
		})
	})
	if err != nil {
		if isHARLimit(err) && len(h.c.Exchanges) > 0 {
			h.c.Stopped = fmt.Errorf("%w; %d entries read", err, h.c.Responses)
			return h.c, nil
		}
		return nil, h.wrap(err)
	}
	if !foundLog || !foundEntries {
		return nil, fmt.Errorf("%w: JSON without log.entries is not a HAR file", ErrUnrecognized)
	}
	if _, err := lex.Token(); err != io.EOF {
		if err == nil {
			return nil, fmt.Errorf("%w: data after the HAR object (byte %d)", ErrMalformed, lex.offset())
		}
		if isHARLimit(err) {
			return h.c, nil // only trailing data was left unread
		}
		return nil, h.wrap(err)
	}
	return h.c, nil
}

type harReader struct {
	dec  *harLexer
	opts *Options
	c    *Capture
}

// errShape reports JSON of the wrong shape for a HAR.
type errShape struct{ msg string }

func (e *errShape) Error() string { return e.msg }

func (h *harReader) wrap(err error) error {
	var shape *errShape
	var syn *harSyntaxError
	switch {
	case errors.Is(err, ErrTruncated), errors.Is(err, ErrMalformed):
		return err
	case isHARLimit(err):
		return fmt.Errorf("%w: %v (%d entries read, none to explain)", ErrTooLarge, err, h.c.Responses)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Errorf("%w: the HAR file ends early (after byte %d, %d entries read); export it again", ErrTruncated, h.dec.offset(), h.c.Responses)
	case errors.As(err, &shape):
		return fmt.Errorf("%w: not a HAR 1.2 file: %s (near byte %d)", ErrMalformed, shape.msg, h.dec.offset())
	case errors.As(err, &syn):
		return fmt.Errorf("%w: the HAR file is not valid JSON at byte %d: %v", ErrMalformed, syn.off, err)
	}
	return fmt.Errorf("%w: reading the HAR file: %v", ErrMalformed, err)
}

// token returns the next token, turning a clean EOF inside a value into
// io.ErrUnexpectedEOF.
func (h *harReader) token() (json.Token, error) {
	t, err := h.dec.Token()
	if err == io.EOF {
		return nil, io.ErrUnexpectedEOF
	}
	return t, err
}

// object reads an object, calling fn for each key; fn consumes the value.
// A value that is not an object is skipped.
func (h *harReader) object(fn func(key string) error) error {
	t, err := h.token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		if ok {
			return h.skipRest(d)
		}
		return nil
	}
	for h.dec.More() {
		t, err := h.token()
		if err != nil {
			return err
		}
		key, ok := t.(string)
		if !ok {
			return &errShape{"object key is not a string"}
		}
		if err := fn(key); err != nil {
			return err
		}
	}
	_, err = h.token() // '}'
	return err
}

// array reads an array, calling fn for each element; fn consumes it.
func (h *harReader) array(fn func(i int) error) error {
	t, err := h.token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != '[' {
		if ok {
			return h.skipRest(d)
		}
		return nil
	}
	for i := 0; h.dec.More(); i++ {
		if err := fn(i); err != nil {
			return err
		}
	}
	_, err = h.token() // ']'
	return err
}

// skip consumes one value.
func (h *harReader) skip() error {
	t, err := h.token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); ok {
		return h.skipRest(d)
	}
	return nil
}

// skipRest consumes the rest of a value whose opening delimiter d was read.
func (h *harReader) skipRest(d json.Delim) error {
	if d != '{' && d != '[' {
		return &errShape{"unexpected " + d.String()}
	}
	for depth := 1; depth > 0; {
		t, err := h.token()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
	}
	return nil
}

// str reads a scalar value as a string (numbers and booleans as written,
// null as ""); containers are skipped.
func (h *harReader) str() (string, error) {
	t, err := h.token()
	if err != nil {
		return "", err
	}
	switch v := t.(type) {
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	case bool:
		if v {
			return "true", nil
		}
		return "false", nil
	case json.Delim:
		return "", h.skipRest(v)
	}
	return "", nil
}

// body reads content.text, keeping enough for MaxBody bytes once
// base64-decoded; cut reports that some of it was dropped.
func (h *harReader) body() (text string, cut bool, err error) {
	t, cut, err := h.dec.token(harBodyMax)
	if err != nil {
		return "", false, err
	}
	switch v := t.(type) {
	case string:
		return v, cut, nil
	case json.Delim:
		return "", false, h.skipRest(v)
	}
	return "", false, nil
}

// harBodyMax is the longest content.text kept: MaxBody bytes once
// base64-decoded, and more than MaxBody as text, so a cut is seen.
const harBodyMax = (MaxBody+2)/3*4 + 4

func (h *harReader) headers(dst *Headers) error {
	return h.array(func(int) error {
		var name, value string
		err := h.object(func(key string) error {
			var err error
			switch key {
			case "name":
				name, err = h.str()
			case "value":
				value, err = h.str()
			default:
				err = h.skip()
			}
			return err
		})
		if err == nil && name != "" {
			if len(value) > MaxHeaderValue {
				value = value[:MaxHeaderValue]
			}
			addHeader(dst, name, value, spanOf(0, 0))
		}
		return err
	})
}

func (h *harReader) entry(i int) error {
	req := &Request{HeadersIncomplete: true}
	resp := &Response{}
	var text, encoding string
	textCut := false
	err := h.object(func(key string) error {
		switch key {
		case "request":
			return h.object(func(key string) error {
				var err error
				switch key {
				case "method":
					req.Method, err = h.str()
				case "url":
					req.URL, err = h.str()
				case "headers":
					err = h.headers(&req.Headers)
				default:
					err = h.skip()
				}
				return err
			})
		case "response":
			return h.object(func(key string) error {
				var err error
				switch key {
				case "status":
					var s string
					s, err = h.str()
					resp.Status = atoiSafe(s)
				case "statusText":
					resp.Reason, err = h.str()
				case "httpVersion":
					resp.Proto, err = h.str()
				case "headers":
					err = h.headers(&resp.Headers)
				case "content":
					err = h.object(func(key string) error {
						var err error
						switch key {
						case "text":
							text, textCut, err = h.body()
						case "encoding":
							encoding, err = h.str()
						default:
							err = h.skip()
						}
						return err
					})
				default:
					err = h.skip()
				}
				return err
			})
		}
		return h.skip()
	})
	if err != nil {
		return err
	}
	h.c.Responses++
	if !h.opts.keep(resp.Status) {
		if len(h.c.Answered) < MaxExchanges && req.URL != "" {
			h.c.Answered = append(h.c.Answered, Answered{Method: strings.ToUpper(req.Method), URL: req.URL, Status: resp.Status, Entry: i})
		}
		return nil
	}
	resp.Body, resp.BodyTruncated = harBody(text, encoding)
	resp.BodyTruncated = resp.BodyTruncated || textCut
	req.Method = strings.ToUpper(req.Method)
	h.c.appendExchange(&Exchange{Request: req, Response: resp, Entry: i})
	return nil
}

// harBody decodes content.text (base64 when encoding says so) and keeps at
// most MaxBody bytes.
func harBody(text, encoding string) (string, bool) {
	if strings.EqualFold(encoding, "base64") {
		n := len(text) &^ 3
		if max := (MaxBody + 2) / 3 * 4; n > max {
			n = max
		}
		b, err := base64.StdEncoding.DecodeString(text[:n])
		if err != nil {
			return "", false
		}
		text = string(b)
	}
	if len(text) > MaxBody {
		// A copy: the prefix must not keep the longer text alive.
		return strings.Clone(text[:MaxBody]), true
	}
	return text, false
}

func atoiSafe(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' || n > 1000 {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}
