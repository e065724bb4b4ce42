package source

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gostream/gostream/engine/kafkalocal"
)

// testCA makes a CA and a broker certificate it signs, for the names
// given (IP addresses or DNS names).
func testCA(t *testing.T, names ...string) (caPEM []byte, server tls.Certificate) {
	t.Helper()
	key := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	caKey, srvKey := key(), key()
	now := time.Now()
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	srv := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "broker"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			srv.IPAddresses = append(srv.IPAddresses, ip)
		} else {
			srv.DNSNames = append(srv.DNSNames, n)
		}
	}
	srvDER, err := x509.CreateCertificate(rand.Reader, srv, caCert, &srvKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	return caPEM, tls.Certificate{Certificate: [][]byte{srvDER}, PrivateKey: srvKey}
}

func TestKafkaTLS(t *testing.T) {
	tests := []struct {
		name    string
		certFor string // the name in the broker's certificate
		opts    func(caFile string, caPEM []byte) []string
		wantErr string
	}{
		{"truststore file", "127.0.0.1", func(f string, _ []byte) []string {
			return []string{"kafka.ssl.truststore.location", f, "kafka.ssl.truststore.type", "PEM"}
		}, ""},
		{"truststore text", "127.0.0.1", func(_ string, p []byte) []string {
			return []string{"kafka.ssl.truststore.certificates", string(p)}
		}, ""},
		{"wrong host name", "broker.example", func(f string, _ []byte) []string {
			return []string{"kafka.ssl.truststore.location", f}
		}, "x509: cannot validate certificate for 127.0.0.1"},
		{"host name check off", "broker.example", func(f string, _ []byte) []string {
			return []string{"kafka.ssl.truststore.location", f, "kafka.ssl.endpoint.identification.algorithm", ""}
		}, ""},
		{"untrusted", "127.0.0.1", func(string, []byte) []string { return nil }, "certificate signed by unknown authority"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			caPEM, srv := testCA(t, tt.certFor)
			caFile := filepath.Join(t.TempDir(), "ca.pem")
			if err := os.WriteFile(caFile, caPEM, 0o600); err != nil {
				t.Fatal(err)
			}
			c := startCluster(t, kafkalocal.Config{Partitions: 1, Topics: []string{"t"},
				TLS: &tls.Config{Certificates: []tls.Certificate{srv}},
				// The cluster's own producer does not check the broker; the
				// source under test does.
				ClientTLS: &tls.Config{InsecureSkipVerify: true}})
			produce(t, c, "t", 0, "secret")
			kv := append([]string{"subscribe", "t", "startingOffsets", "earliest", "kafka.security.protocol", "SSL",
				"kafkaConsumer.pollTimeoutMs", "1000", "fetchOffset.numRetries", "1"}, tt.opts(caFile, caPEM)...)
			k := newSource(t, c, "", kv...)
			ctx := context.Background()
			end, err := k.LatestOffset(ctx, "")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v; want it to contain %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			recs, err := k.Batch(ctx, "", end)
			if err != nil {
				t.Fatal(err)
			}
			defer release(recs)
			if got := values(rowsOf(t, recs)); !equalStrings(got, []string{"secret"}) {
				t.Errorf("read %v; want [secret]", got)
			}
		})
	}
}
