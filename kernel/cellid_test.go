package kernel

import (
	"testing"

	"github.com/gostream/gostream/kernel/kerneltest"
)

func TestExecuteRequestCellID(t *testing.T) {
	ex := &funcExecutor{}
	h := startKernel(t, ex, Options{})
	tests := []struct {
		name     string
		metadata map[string]any
		want     string
	}{
		{name: "JupyterLab cell id", metadata: map[string]any{"cellId": "6f1c8a4e-1"}, want: "6f1c8a4e-1"},
		{name: "no metadata", metadata: nil, want: ""},
		{name: "other metadata only", metadata: map[string]any{"deletedCells": []any{}}, want: ""},
		{name: "cell id not a string", metadata: map[string]any{"cellId": 7}, want: ""},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			m, err := h.c.NewMessage("execute_request", kerneltest.ExecuteContent(tc.name))
			if err != nil {
				t.Fatal(err)
			}
			m.Metadata = tc.metadata
			if err := h.c.SendMessage(kerneltest.Shell, m); err != nil {
				t.Fatal(err)
			}
			if _, err := h.c.Recv(ctx, kerneltest.Shell); err != nil {
				t.Fatal(err)
			}
			ex.mu.Lock()
			got := ex.executed[i].CellID
			ex.mu.Unlock()
			if got != tc.want {
				t.Errorf("CellID got %q, want %q", got, tc.want)
			}
		})
	}
}
