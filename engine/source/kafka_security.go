package source

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// sasl builds the SASL mechanism from kafka.sasl.mechanism and the
// username and password of kafka.sasl.jaas.config.
func (b *kafkaConfBuild) sasl() (sasl.Mechanism, error) {
	mech, ok := b.opts.Get("kafka.sasl.mechanism")
	if !ok {
		return nil, errors.New("Kafka option 'kafka.sasl.mechanism' must be set with a SASL security protocol: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (GSSAPI, the Java client's default, is not supported)")
	}
	mech = strings.ToUpper(strings.TrimSpace(mech))
	switch mech {
	case "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
	default:
		return nil, fmt.Errorf("Kafka SASL mechanism '%s' is not supported: use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512", mech)
	}
	jaas, ok := b.opts.Get("kafka.sasl.jaas.config")
	if !ok {
		return nil, fmt.Errorf("Kafka option 'kafka.sasl.jaas.config' must be set for SASL %s, e.g. org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=\"secret\";", mech)
	}
	module, kv, err := ParseJAAS(jaas)
	if err != nil {
		return nil, err
	}
	wantModule := "PlainLoginModule"
	if mech != "PLAIN" {
		wantModule = "ScramLoginModule"
	}
	if !strings.HasSuffix(module, wantModule) {
		return nil, fmt.Errorf("Kafka option 'kafka.sasl.jaas.config' names login module %s, but SASL %s needs org.apache.kafka.common.security.%s.%s", module, mech, strings.ToLower(strings.TrimSuffix(wantModule, "LoginModule")), wantModule)
	}
	user, pass := kv["username"], kv["password"]
	if user == "" {
		return nil, errors.New("Kafka option 'kafka.sasl.jaas.config' has no username=\"...\"")
	}
	switch mech {
	case "PLAIN":
		return plain.Auth{User: user, Pass: pass}.AsMechanism(), nil
	case "SCRAM-SHA-256":
		return scram.Auth{User: user, Pass: pass}.AsSha256Mechanism(), nil
	}
	return scram.Auth{User: user, Pass: pass}.AsSha512Mechanism(), nil
}

// ParseJAAS reads a JAAS login configuration as Kafka's Java client takes
// it in sasl.jaas.config:
//
//	org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="s3cr\"t";
//
// It returns the login module class and the options. Values may be quoted
// (with backslash escapes) or bare words.
func ParseJAAS(s string) (module string, options map[string]string, err error) {
	bad := func(why string) error {
		return fmt.Errorf("Kafka option 'kafka.sasl.jaas.config' is not a JAAS login entry (%s); expected e.g. org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=\"secret\";", why)
	}
	p := &jaasScanner{s: strings.TrimSpace(s)}
	module = p.word()
	if module == "" {
		return "", nil, bad("no login module")
	}
	switch flag := strings.ToLower(p.word()); flag {
	case "required", "requisite", "sufficient", "optional":
	default:
		return "", nil, bad(fmt.Sprintf("control flag %q, want required, requisite, sufficient or optional", flag))
	}
	options = map[string]string{}
	for {
		p.space()
		if p.done() || p.peek() == ';' {
			break
		}
		key := p.word()
		if key == "" || !p.accept('=') {
			return "", nil, bad(fmt.Sprintf("expected key=value at %q", p.rest()))
		}
		val, ok := p.value()
		if !ok {
			return "", nil, bad(fmt.Sprintf("unterminated value for %s", key))
		}
		options[key] = val
	}
	if !p.accept(';') {
		return "", nil, bad("missing the closing ';'")
	}
	if p.space(); !p.done() {
		return "", nil, bad(fmt.Sprintf("text after ';': %q (one login module only)", p.rest()))
	}
	return module, options, nil
}

type jaasScanner struct {
	s string
	i int
}

func (p *jaasScanner) done() bool   { return p.i >= len(p.s) }
func (p *jaasScanner) peek() byte   { return p.s[p.i] }
func (p *jaasScanner) rest() string { return p.s[p.i:] }

func (p *jaasScanner) space() {
	for !p.done() && strings.IndexByte(" \t\r\n", p.peek()) >= 0 {
		p.i++
	}
}

func (p *jaasScanner) accept(c byte) bool {
	p.space()
	if !p.done() && p.peek() == c {
		p.i++
		return true
	}
	return false
}

func (p *jaasScanner) word() string {
	p.space()
	start := p.i
	for !p.done() && strings.IndexByte(" \t\r\n=;\"", p.peek()) < 0 {
		p.i++
	}
	return p.s[start:p.i]
}

func (p *jaasScanner) value() (string, bool) {
	p.space()
	if p.done() || p.peek() != '"' {
		w := p.word()
		return w, w != ""
	}
	p.i++
	var b strings.Builder
	for !p.done() {
		c := p.peek()
		p.i++
		switch c {
		case '\\':
			if p.done() {
				return "", false
			}
			b.WriteByte(p.peek())
			p.i++
		case '"':
			return b.String(), true
		default:
			b.WriteByte(c)
		}
	}
	return "", false
}

// kafkaTLS builds the TLS configuration from the kafka.ssl.* options. Only
// PEM stores are read: Java KeyStores (JKS, PKCS12) must be converted.
func kafkaTLS(get func(string) (string, bool)) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if v, ok := get("ssl.enabled.protocols"); ok && strings.TrimSpace(v) == "TLSv1.3" {
		cfg.MinVersion = tls.VersionTLS13
	} else if v, ok := get("ssl.protocol"); ok && strings.TrimSpace(v) == "TLSv1.3" {
		cfg.MinVersion = tls.VersionTLS13
	}

	var trustPEM []byte
	if v, ok := get("ssl.truststore.certificates"); ok {
		trustPEM = []byte(v)
	} else if loc, ok := get("ssl.truststore.location"); ok {
		data, err := readPEMStore("truststore", loc, get)
		if err != nil {
			return nil, err
		}
		trustPEM = data
	}
	if trustPEM != nil {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(trustPEM) {
			return nil, errors.New("Kafka TLS truststore holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
		}
		cfg.RootCAs = pool
	}

	var keyPEM, certPEM []byte
	if k, ok := get("ssl.keystore.key"); ok {
		c, ok := get("ssl.keystore.certificate.chain")
		if !ok {
			return nil, errors.New("Kafka option 'kafka.ssl.keystore.key' needs 'kafka.ssl.keystore.certificate.chain' (PEM)")
		}
		keyPEM, certPEM = []byte(k), []byte(c)
	} else if loc, ok := get("ssl.keystore.location"); ok {
		data, err := readPEMStore("keystore", loc, get)
		if err != nil {
			return nil, err
		}
		keyPEM, certPEM = data, data
	}
	if keyPEM != nil {
		cert, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			return nil, fmt.Errorf("Kafka TLS keystore: %w (want an unencrypted PEM private key and its certificate chain)", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}

	if v, ok := get("ssl.endpoint.identification.algorithm"); ok && strings.TrimSpace(v) == "" {
		// Java's empty algorithm turns off the host name check only: the
		// chain is still verified against the trusted roots.
		cfg.InsecureSkipVerify = true
		roots := cfg.RootCAs
		cfg.VerifyPeerCertificate = func(raw [][]byte, _ [][]*x509.Certificate) error {
			certs := make([]*x509.Certificate, len(raw))
			for i, r := range raw {
				c, err := x509.ParseCertificate(r)
				if err != nil {
					return err
				}
				certs[i] = c
			}
			if len(certs) == 0 {
				return errors.New("the broker sent no certificate")
			}
			inter := x509.NewCertPool()
			for _, c := range certs[1:] {
				inter.AddCert(c)
			}
			_, err := certs[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter})
			return err
		}
	}
	return cfg, nil
}

// readPEMStore reads a trust or key store file that must be PEM.
func readPEMStore(kind, loc string, get func(string) (string, bool)) ([]byte, error) {
	typ, _ := get("ssl." + kind + ".type")
	typ = strings.ToUpper(strings.TrimSpace(typ))
	if typ != "" && typ != "PEM" {
		return nil, fmt.Errorf("Kafka %s type %s is not supported: convert it to PEM (e.g. keytool -exportcert -rfc, or openssl pkcs12 -nodes) and set kafka.ssl.%s.type=PEM", kind, typ, kind)
	}
	data, err := os.ReadFile(loc)
	if err != nil {
		return nil, fmt.Errorf("Kafka option 'kafka.ssl.%s.location': %w", kind, err)
	}
	if !bytes.Contains(data, []byte("-----BEGIN")) {
		return nil, fmt.Errorf("Kafka %s %s is not PEM: Java KeyStores (JKS, PKCS12) are not supported; convert it to PEM and set kafka.ssl.%s.type=PEM", kind, loc, kind)
	}
	if p, _ := pem.Decode(data); p == nil {
		return nil, fmt.Errorf("Kafka %s %s holds no readable PEM block", kind, loc)
	}
	return data, nil
}
