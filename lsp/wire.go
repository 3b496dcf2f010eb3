package lsp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/gw403/gw403-lsp/analyzer/msg"
	"go.lsp.dev/jsonrpc2"
)

// Limits of the message reader. A header line longer than maxHeaderLine is
// dropped (only its tail is searched for a Content-Length header to
// resynchronise on); a frame announcing more than maxBody bytes is dropped
// and its body skipped as garbage.
const (
	maxHeaderLine = 4 << 10
	maxBody       = 64 << 20
	// resyncTail is how much of an overlong line is kept: enough for
	// "Content-Length: 2147483647".
	resyncTail = 64
)

// errFrame is a framing problem the reader recovered from: the frame is
// dropped and reading goes on.
type errFrame struct{ msg string }

func (e *errFrame) Error() string { return e.msg }

// frameReader splits a byte stream into LSP base-protocol frames
// ("Content-Length: N\r\n\r\n" + N bytes). It never gives up on bad input:
// a malformed header block is skipped up to the next line that carries a
// Content-Length header, so one broken frame costs at most itself and the
// frame it was glued to.
type frameReader struct {
	in *bufio.Reader
}

func newFrameReader(r io.Reader) *frameReader {
	return &frameReader{in: bufio.NewReaderSize(r, maxHeaderLine)}
}

// readLine returns the next line without its terminator (with an error, the
// bytes read before it). A line longer than maxHeaderLine is returned as its
// last resyncTail bytes with long == true.
func (r *frameReader) readLine() (line string, long bool, err error) {
	var buf []byte
	for {
		chunk, err := r.in.ReadSlice('\n')
		if len(buf)+len(chunk) > maxHeaderLine {
			long = true
			buf = append(buf, chunk...)
			if len(buf) > resyncTail {
				buf = append(buf[:0], buf[len(buf)-resyncTail:]...)
			}
		} else {
			buf = append(buf, chunk...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		line = strings.TrimRight(string(buf), "\r\n")
		return line, long, err
	}
}

// next returns the body of the next frame. A recoverable problem is an
// *errFrame; any other error comes from the transport and ends the stream.
// The int64 is the number of bytes consumed.
func (r *frameReader) next() ([]byte, int64, error) {
	var (
		total     int64
		length    int64 = -1
		sawHeader bool
		problem   string
	)
	for {
		line, long, err := r.readLine()
		total += int64(len(line))
		if err != nil {
			if errors.Is(err, io.EOF) && (sawHeader || line != "") {
				err = io.ErrUnexpectedEOF
			}
			return nil, total, err
		}
		// Resynchronise on a Content-Length header glued to the end of
		// garbage (the tail of a body that was shorter than announced).
		if i := indexFold(line, "content-length:"); i > 0 {
			line, long = line[i:], false
			length, sawHeader, problem = -1, false, ""
		}
		if strings.TrimSpace(line) == "" && !long {
			if !sawHeader {
				continue // blank lines between frames
			}
			break
		}
		sawHeader = true
		if long {
			problem = "header line too long"
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			problem = fmt.Sprintf("invalid header line %q", msg.Clip(line, 40))
			continue
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
			if err != nil || n < 0 {
				problem = fmt.Sprintf("invalid Content-Length %q", msg.Clip(value, 40))
				length = -1
				continue
			}
			length = n
		}
	}
	switch {
	case length < 0 && problem == "":
		return nil, total, &errFrame{"missing Content-Length header"}
	case length < 0:
		return nil, total, &errFrame{problem}
	case length == 0:
		return nil, total, &errFrame{"empty message"}
	case length > maxBody:
		// Not read: what follows is skipped like garbage, up to the next
		// Content-Length header, so a wrong length cannot stall the stream.
		return nil, total, &errFrame{fmt.Sprintf("message of %d bytes exceeds the limit of %d", length, maxBody)}
	}
	// Grow with the bytes that arrive, not with what the header claims.
	var buf bytes.Buffer
	buf.Grow(int(min(length, 64<<10)))
	n, err := io.CopyN(&buf, r.in, length)
	total += n
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, total, err
	}
	body := buf.Bytes()
	// With a usable length, other header problems do not matter.
	return body, total, nil
}

// indexFold returns the byte index of the first ASCII-case-insensitive
// occurrence of lower (which must be lower-case ASCII) in s, or -1.
func indexFold(s, lower string) int {
	for i := 0; i+len(lower) <= len(s); i++ {
		j := 0
		for ; j < len(lower); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != lower[j] {
				break
			}
		}
		if j == len(lower) {
			return i
		}
	}
	return -1
}

// envelope is a JSON-RPC message before it is known to be valid.
type envelope struct {
	ID     json.RawMessage `json:"id"`
	Method *string         `json:"method"`
	Params json.RawMessage `json:"params"`
	Result json.RawMessage `json:"result"`
	Error  json.RawMessage `json:"error"`
}

// rpcError is an error response the reader sends itself for a message it
// cannot hand to the connection. id is the raw JSON id ("null" when unknown).
type rpcError struct {
	id   json.RawMessage
	code jsonrpc2.Code
	msg  string
}

// decodeMessage validates one frame body and turns it into a jsonrpc2
// message. A body that is not a usable message gives an rpcError to answer
// (or nil when nothing can be answered, e.g. a malformed response).
func decodeMessage(body []byte) (msg jsonrpc2.Message, rerr *rpcError) {
	null := json.RawMessage("null")
	if !json.Valid(body) {
		return nil, &rpcError{null, jsonrpc2.ParseError, "invalid JSON"}
	}
	if b := bytes.TrimLeft(body, " \t\r\n"); len(b) == 0 || b[0] != '{' {
		return nil, &rpcError{null, jsonrpc2.InvalidRequest, "a message must be a JSON object"}
	}
	var env envelope
	err := json.Unmarshal(body, &env)
	id, idOK, hasID := checkID(env.ID)
	answerID := null
	if hasID && idOK {
		answerID = id
	}
	if err != nil {
		return nil, &rpcError{answerID, jsonrpc2.InvalidRequest, "invalid message: " + err.Error()}
	}
	if env.Method == nil {
		// A response to one of our calls. Nothing to answer when broken.
		if !hasID && env.Result == nil && env.Error == nil {
			return nil, &rpcError{null, jsonrpc2.InvalidRequest, "a message needs a method or a result"}
		}
		if !hasID || !idOK {
			return nil, nil
		}
	} else {
		if *env.Method == "" {
			return nil, &rpcError{answerID, jsonrpc2.InvalidRequest, "empty method"}
		}
		if hasID && !idOK {
			return nil, &rpcError{echoableID(env.ID), jsonrpc2.InvalidRequest, "id must be a 32-bit integer or a string"}
		}
	}
	defer func() {
		if r := recover(); r != nil {
			msg, rerr = nil, &rpcError{answerID, jsonrpc2.InvalidRequest, fmt.Sprintf("invalid message: %v", r)}
		}
	}()
	m, err := jsonrpc2.DecodeMessage(body)
	if err != nil {
		if env.Method == nil {
			return nil, nil
		}
		return nil, &rpcError{answerID, jsonrpc2.InvalidRequest, "invalid message: " + err.Error()}
	}
	return m, nil
}

// checkID reports whether raw (the "id" member) is present and non-null,
// and whether it is a valid LSP id: a string or an integer that fits in 32
// bits (jsonrpc2 v0.10.0 keeps numeric ids as int32).
func checkID(raw json.RawMessage) (id json.RawMessage, ok, present bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, false, false
	}
	switch raw[0] {
	case '"':
		var s string
		return raw, json.Unmarshal(raw, &s) == nil, true
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		_, err := strconv.ParseInt(string(raw), 10, 32)
		return raw, err == nil, true
	}
	return raw, false, true
}

// echoableID returns raw when it may stand as the id of an error response
// (a number or a string, however large), else null.
func echoableID(raw json.RawMessage) json.RawMessage {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && (raw[0] == '"' || raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9')) && len(raw) <= 1024 {
		return raw
	}
	return json.RawMessage("null")
}

// stream is a jsonrpc2.Stream over LSP base-protocol framing that survives
// malformed input: broken frames and messages are answered with a JSON-RPC
// error where possible and skipped, instead of ending the connection.
type stream struct {
	rwc  io.ReadWriteCloser
	in   *frameReader
	logf func(format string, args ...any)
	wmu  sync.Mutex // serialises writes to rwc
	// broken is closed when a write fails (the client closed its end of
	// stdout): a frame may be cut, nothing more can be said, the session
	// ends. writeErr is the failure.
	broken   chan struct{}
	writeErr error
}

func newStream(rwc io.ReadWriteCloser, logf func(string, ...any)) *stream {
	return &stream{rwc: rwc, in: newFrameReader(rwc), logf: logf, broken: make(chan struct{})}
}

// Read implements jsonrpc2.Stream.
func (s *stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	var total int64
	for {
		if err := ctx.Err(); err != nil {
			return nil, total, err
		}
		body, n, err := s.in.next()
		total += n
		var fe *errFrame
		if errors.As(err, &fe) {
			s.logf("dropped a malformed frame: %s", fe.msg)
			s.writeError(&rpcError{json.RawMessage("null"), jsonrpc2.ParseError, fe.msg})
			continue
		}
		if err != nil {
			return nil, total, err
		}
		msg, rerr := decodeMessage(body)
		if rerr != nil {
			s.logf("dropped a malformed message: %s", rerr.msg)
			s.writeError(rerr)
			continue
		}
		if msg == nil {
			s.logf("dropped a malformed response")
			continue
		}
		return msg, total, nil
	}
}

// Write implements jsonrpc2.Stream.
func (s *stream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	data, err := marshalMessage(msg)
	if err != nil {
		return 0, fmt.Errorf("marshal message: %w", err)
	}
	return s.writeFrame(data)
}

func marshalMessage(msg jsonrpc2.Message) ([]byte, error) {
	// The message types implement json.Marshaler on values.
	switch m := msg.(type) {
	case *jsonrpc2.Call:
		return m.MarshalJSON()
	case *jsonrpc2.Notification:
		return m.MarshalJSON()
	case *jsonrpc2.Response:
		return m.MarshalJSON()
	}
	return json.Marshal(msg)
}

func (s *stream) writeFrame(data []byte) (int64, error) {
	frame := make([]byte, 0, len(data)+32)
	frame = append(frame, "Content-Length: "...)
	frame = strconv.AppendInt(frame, int64(len(data)), 10)
	frame = append(frame, "\r\n\r\n"...)
	frame = append(frame, data...)
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.writeErr != nil {
		return 0, s.writeErr
	}
	n, err := s.rwc.Write(frame)
	if err != nil {
		s.writeErr = fmt.Errorf("write message: %w", err)
		close(s.broken)
		return int64(n), s.writeErr
	}
	return int64(n), nil
}

// notify writes a notification, marshalling params once (jsonrpc2's Notify
// marshals them, then re-encodes the result).
func (s *stream) notify(method string, params any) error {
	data, err := json.Marshal(struct {
		JSONRPC string `json:"jsonrpc"`
		Method  string `json:"method"`
		Params  any    `json:"params"`
	}{"2.0", method, params})
	if err != nil {
		return fmt.Errorf("marshal %s: %w", method, err)
	}
	_, err = s.writeFrame(data)
	return err
}

func (s *stream) writeError(e *rpcError) {
	resp := struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   jsonrpc2.Error  `json:"error"`
	}{"2.0", e.id, jsonrpc2.Error{Code: e.code, Message: e.msg}}
	data, err := json.Marshal(resp)
	if err != nil {
		return
	}
	if _, err := s.writeFrame(data); err != nil {
		s.logf("%v", err)
	}
}

// Close implements jsonrpc2.Stream.
func (s *stream) Close() error { return s.rwc.Close() }
