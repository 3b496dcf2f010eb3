package capture

import (
	"strings"
	"testing"
)

// TestAnsweredEntries checks that the entries Keep drops are still known
// by their request line and status, for explain's evidence.
func TestAnsweredEntries(t *testing.T) {
	har := `{"log": {"version": "1.2", "entries": [
 {"request": {"method": "get", "url": "https://q7w8e9r0t1.execute-api.eu-west-1.amazonaws.com/prod/items?page=2", "headers": []},
  "response": {"status": 200, "headers": [], "content": {"text": "[]"}}},
 {"request": {"method": "DELETE", "url": "https://q7w8e9r0t1.execute-api.eu-west-1.amazonaws.com/prod/items", "headers": []},
  "response": {"status": 403, "headers": [], "content": {"text": "{\"message\":\"Missing Authentication Token\"}"}}},
 {"request": {"method": "OPTIONS", "url": "https://q7w8e9r0t1.execute-api.eu-west-1.amazonaws.com/prod/items", "headers": []},
  "response": {"status": 204, "headers": [], "content": {}}}
]}}`
	c, err := Parse(strings.NewReader(har), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Exchanges) != 1 || c.Exchanges[0].Request.Method != "DELETE" {
		t.Fatalf("exchanges %d, want the DELETE only", len(c.Exchanges))
	}
	want := []Answered{
		{Method: "GET", URL: "https://q7w8e9r0t1.execute-api.eu-west-1.amazonaws.com/prod/items?page=2", Status: 200, Entry: 0},
		{Method: "OPTIONS", URL: "https://q7w8e9r0t1.execute-api.eu-west-1.amazonaws.com/prod/items", Status: 204, Entry: 2},
	}
	if len(c.Answered) != len(want) {
		t.Fatalf("Answered = %+v, want %+v", c.Answered, want)
	}
	for i := range want {
		if c.Answered[i] != want[i] {
			t.Errorf("Answered[%d] = %+v, want %+v", i, c.Answered[i], want[i])
		}
	}
}
