package capture

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// parseHAR streams a HAR 1.2 file with encoding/json's Decoder.Token: the
// file is never held whole, each entry is read into a bounded value
// (MaxHeaders headers, MaxBody of body) and only entries whose status
// opts.Keep accepts are kept. Memory is bounded by the largest single JSON
// token (a response body string), not by the file size.
func parseHAR(r io.Reader, opts *Options) (*Capture, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	h := &harReader{dec: dec, opts: opts, c: &Capture{Format: FormatHAR}}
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
			return h.array(func(i int) error { return h.entry(i) })
		})
	})
	if err != nil {
		return nil, h.wrap(err)
	}
	if !foundLog || !foundEntries {
		return nil, fmt.Errorf("%w: JSON without log.entries is not a HAR file", ErrUnrecognized)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return nil, fmt.Errorf("%w: data after the HAR object (byte %d)", ErrMalformed, dec.InputOffset())
		}
		return nil, h.wrap(err)
	}
	return h.c, nil
}

type harReader struct {
	dec  *json.Decoder
	opts *Options
	c    *Capture
}

// errShape reports JSON of the wrong shape for a HAR.
type errShape struct{ msg string }

func (e *errShape) Error() string { return e.msg }

func (h *harReader) wrap(err error) error {
	var shape *errShape
	var syn *json.SyntaxError
	switch {
	case errors.Is(err, ErrTruncated), errors.Is(err, ErrMalformed):
		return err
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Errorf("%w: the HAR file ends early (after byte %d, %d entries read); export it again", ErrTruncated, h.dec.InputOffset(), h.c.Responses)
	case errors.As(err, &shape):
		return fmt.Errorf("%w: not a HAR 1.2 file: %s (near byte %d)", ErrMalformed, shape.msg, h.dec.InputOffset())
	case errors.As(err, &syn):
		return fmt.Errorf("%w: the HAR file is not valid JSON at byte %d: %v", ErrMalformed, syn.Offset, err)
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
							text, err = h.str()
							if len(text) > 2*MaxBody {
								text = text[:2*MaxBody]
							}
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
		return text[:MaxBody], true
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
