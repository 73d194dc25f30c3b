package web

// The JSON API under /api/v1, served by huma on the same ServeMux and behind
// the same middleware as the pages (request id, security headers, body
// limit, actor, cross-origin protection). Its OpenAPI 3.1 document is
// generated from the Go types in api_*.go and served at
// /api/v1/openapi.json. Each handler parses its input, calls one service
// method and converts the result; the rules stay in the services.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/danielgtaylor/huma/v2/validation"

	"kindred"
)

const apiPrefix = "/api/v1"

// Request body limits per operation. They stay under the server-wide
// MaxBytesReader limit (see apiRegister), so huma's own check answers first
// with a clean 413 rather than a read error.
const (
	apiSmallBody = 16 << 10  // names, settings, flags
	apiLargeBody = 128 << 10 // posts, descriptions, codes of conduct: 20,000 characters of up to 4 bytes each, plus JSON escaping
)

// APIOperation is one operation of the JSON API, for the authorization
// matrix test.
type APIOperation struct {
	Method      string
	Path        string // with the /api/v1 prefix
	OperationID string
}

// registerAPI registers every API operation on mux under /api/v1, and a
// catch-all that answers unknown API paths with the API's error shape.
func (s *Server) registerAPI(mux *http.ServeMux) huma.API {
	installAPIErrors()
	api := humago.NewWithPrefix(routeRecorder{s: s, mux: mux}, apiPrefix, s.apiConfig())
	s.registerAccountAPI(api)
	s.registerOrgAPI(api)
	s.registerGroupAPI(api)
	s.registerThreadAPI(api)
	s.registerLiveAPI(api)
	s.registerTrainingAPI(api)
	s.registerSupportAPI(api)
	s.registerSafetyAPI(api)
	s.registerOrgSafetyAPI(api)
	s.registerModerationAPI(api)
	s.registerPrivacyAPI(api)
	s.registerSecurityAPI(api)
	s.registerBlockAPI(api)
	s.registerUploadAPI(api)
	s.handle(mux, apiPrefix+"/", http.HandlerFunc(s.handleAPINotFound))
	return api
}

// APIOperations lists every documented API operation, sorted by path and
// method.
func (s *Server) APIOperations() []APIOperation {
	var out []APIOperation
	for path, item := range s.api.OpenAPI().Paths {
		for _, op := range []*huma.Operation{item.Get, item.Put, item.Post, item.Delete, item.Options, item.Head, item.Patch, item.Trace} {
			if op != nil {
				out = append(out, APIOperation{Method: op.Method, Path: apiPrefix + path, OperationID: op.OperationID})
			}
		}
	}
	slices.SortFunc(out, func(a, b APIOperation) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Method, b.Method)
	})
	return out
}

func (s *Server) handleAPINotFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, kindred.Errorf(kindred.ENOTFOUND, "There is no such API endpoint. The API is described at %s/openapi.json.", apiPrefix), nil)
}

// Security requirement names, as declared in apiConfig.
const (
	apiBearer        = "bearer"
	apiSessionScheme = "session"
)

func (s *Server) apiConfig() huma.Config {
	c := huma.DefaultConfig("Kindred API", "1")
	c.Info.Description = "The JSON API of a Kindred instance: accounts, organisations, peer support groups, " +
		"threads, replies and reactions, live group sessions and chat rooms (the WebSocket at `/api/v1/live` is " +
		"described under connectLive and in docs/live.md). Programs authenticate with a personal access token " +
		"(`Authorization: Bearer kdt_…`); browsers use the session cookie. Errors always look like " +
		"`{\"error\":{\"code\":\"…\",\"message\":\"…\",\"fields\":{\"field\":\"message\"}}}`."
	c.OpenAPIPath = "/openapi"
	// Huma's docs page loads its script from a CDN; nothing here may come
	// from another origin.
	c.DocsPath = ""
	// The default create hook adds `$schema` properties and `Link` headers
	// pointing at /schemas; we want neither, nor the /schemas route.
	c.SchemasPath = ""
	c.CreateHooks = nil
	c.Transformers = []huma.Transformer{s.logAPIInternal}
	// Go types are called apiSomething (or APISomething) to keep them apart
	// from the pages' types in this package; the document calls them
	// Something.
	c.Components.Schemas = huma.NewMapRegistry("#/components/schemas/", apiSchemaName)
	c.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		apiBearer: {Type: "http", Scheme: "bearer", BearerFormat: "kdt_…",
			Description: "A personal access token (`Authorization: Bearer kdt_…`), created with createToken or on the settings page. Use this from programs."},
		apiSessionScheme: {Type: "apiKey", In: "cookie", Name: SessionCookie,
			Description: "The browser session cookie set by createSession or createAccount."},
	}
	return c
}

func apiSchemaName(t reflect.Type, hint string) string {
	name := huma.DefaultSchemaNamer(t, hint)
	return strings.ReplaceAll(strings.ReplaceAll(name, "API", ""), "Api", "")
}

// apiAuth says who may call an operation, for the document's security
// requirements. The services enforce it; this only describes it.
type apiAuth int

const (
	apiPublic   apiAuth = iota // no credentials needed
	apiOptional                // works for visitors, shows more when signed in
	apiSignedIn                // needs a token or a session
)

func (a apiAuth) requirements() []map[string][]string {
	signedIn := []map[string][]string{{apiBearer: {}}, {apiSessionScheme: {}}}
	switch a {
	case apiOptional:
		return append(signedIn, map[string][]string{})
	case apiSignedIn:
		return signedIn
	}
	return []map[string][]string{}
}

// apiRegister registers one operation. It documents the error responses
// and security, caps the body, and turns every error the handler returns
// into the API's one error shape.
func apiRegister[I, O any](s *Server, api huma.API, auth apiAuth, op huma.Operation, h func(context.Context, *I) (*O, error)) {
	op.Security = auth.requirements()
	errs := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity, http.StatusInternalServerError}
	if op.Method == http.MethodPost || op.Method == http.MethodPut || op.Method == http.MethodPatch {
		errs = append(errs, http.StatusRequestEntityTooLarge)
		if op.MaxBodyBytes == 0 {
			op.MaxBodyBytes = apiSmallBody
		}
	}
	op.Errors = append(errs, op.Errors...)
	slices.Sort(op.Errors)
	op.Errors = slices.Compact(op.Errors)
	if op.MaxBodyBytes > s.opts.MaxBodyBytes {
		op.MaxBodyBytes = s.opts.MaxBodyBytes
	}
	huma.Register(api, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, in)
		if err != nil {
			return nil, apiFailure(err)
		}
		return out, nil
	})
}

// apiOut is an output with only a body.
type apiOut[T any] struct {
	Body T
}

func apiBody[T any](v T) *apiOut[T] { return &apiOut[T]{Body: v} }

// apiRequest gives a handler the *http.Request behind it, for the rate
// limit key and the session's device label. Embedded in an input struct,
// its Resolve method runs after the input is parsed.
type apiRequest struct{ r *http.Request }

func (a *apiRequest) Resolve(ctx huma.Context) []error {
	a.r, _ = humago.Unwrap(ctx)
	return nil
}

// apiErrorResponse is the one error shape of the API. It is the same JSON
// as Server.fail writes for the pages' API paths (apiError in render.go),
// with documentation for the OpenAPI document.
type apiErrorResponse struct {
	status int
	cause  error        // logged when internal, never shown
	Info   apiErrorInfo `json:"error"`
}

type apiErrorInfo struct {
	Code    string            `json:"code" enum:"invalid,not_found,unauthorized,forbidden,conflict,rate_limited,too_large,gone,age_restricted,cross_origin,unavailable,internal" doc:"A stable code for programs."`
	Message string            `json:"message" doc:"What went wrong, written for the person using the program."`
	Fields  map[string]string `json:"fields,omitempty" doc:"For invalid input: what is wrong with each field, by field name."`
}

func (e *apiErrorResponse) Error() string {
	if e.cause != nil {
		return e.cause.Error()
	}
	return e.Info.Code + ": " + e.Info.Message
}

// GetStatus makes it a huma.StatusError.
func (e *apiErrorResponse) GetStatus() int { return e.status }

// GetHeaders adds the challenge RFC 9110 asks of a 401.
func (e *apiErrorResponse) GetHeaders() http.Header {
	if e.status != http.StatusUnauthorized {
		return nil
	}
	return http.Header{"Www-Authenticate": {`Bearer realm="kindred"`}}
}

// apiFailure converts an error from a service.
func apiFailure(err error) *apiErrorResponse {
	code := kindred.ErrorCode(err)
	return &apiErrorResponse{status: status(code), cause: err,
		Info: apiErrorInfo{Code: code, Message: kindred.ErrorMessage(err), Fields: kindred.ErrorFields(err)}}
}

// logAPIInternal logs internal errors with the request id as they are
// written, whether a service or huma itself produced them. People see only
// the kind generic message.
func (s *Server) logAPIInternal(ctx huma.Context, _ string, v any) (any, error) {
	e, ok := v.(*apiErrorResponse)
	if ok && e.Info.Code == kindred.EINTERNAL && !errors.Is(e.cause, context.Canceled) {
		rctx := ctx.Context()
		s.log.ErrorContext(rctx, "internal error", "request_id", requestID(rctx),
			"operation", ctx.Operation().OperationID, "err", e.cause)
	}
	return v, nil
}

// installAPIErrors makes huma produce our error shape for the errors it
// raises itself (invalid JSON, failed schema validation, too large a body).
// Huma offers this only as the package variables huma.NewError and
// huma.NewErrorWithContext, not per API, so they are set once per process:
// every Server (tests build many, in parallel) would otherwise write them
// concurrently. The functions installed keep no state, so one install
// serves every Server.
var installAPIErrorsOnce sync.Once

func installAPIErrors() {
	installAPIErrorsOnce.Do(func() {
		huma.NewError = newHumaError
		huma.NewErrorWithContext = func(_ huma.Context, status int, msg string, errs ...error) huma.StatusError {
			return newHumaError(status, msg, errs...)
		}
	})
}

const (
	msgInvalid    = "Some of what you entered needs another look."
	msgUnreadable = "We couldn't read that request. Please send a JSON object as the API description shows."
	msgTooLarge   = "That was more than we can accept in one go. Please shorten it and try again."
)

// newHumaError builds our error from one of huma's: its status picks the
// code, and each validation detail becomes a field message.
func newHumaError(st int, msg string, errs ...error) huma.StatusError {
	code := codeForStatus(st)
	fields := kindred.Invalid{}
	for _, err := range errs {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			code = kindred.ETOOLARGE
		}
		var d huma.ErrorDetailer
		if errors.As(err, &d) {
			if name, text := apiField(d.ErrorDetail()); name != "" {
				fields.Add(name, text)
			}
		}
	}
	e := &apiErrorResponse{cause: fmt.Errorf("huma: %d %s", st, msg)}
	if joined := errors.Join(errs...); joined != nil {
		e.cause = fmt.Errorf("%w: %w", e.cause, joined)
	}
	switch {
	case st == 0:
		// huma asks for an example error to describe the schema.
		return e
	case len(fields) > 0:
		code = kindred.EINVALID
		e.Info = apiErrorInfo{Code: code, Message: msgInvalid, Fields: fields}
	case code == kindred.EINVALID:
		e.Info = apiErrorInfo{Code: code, Message: msgUnreadable}
	case code == kindred.ETOOLARGE:
		e.Info = apiErrorInfo{Code: code, Message: msgTooLarge}
	case code == kindred.EINTERNAL:
		e.Info = apiErrorInfo{Code: code, Message: kindred.ErrorMessage(e.cause)} // the generic message; details are logged
	default:
		e.Info = apiErrorInfo{Code: code, Message: msg} // huma's own words, for statuses it rarely uses
	}
	e.status = status(code)
	return e
}

// codeForStatus maps a status huma chose to our code; status() maps it back,
// so statuses stay decided in one place.
func codeForStatus(st int) string {
	switch st {
	case http.StatusUnauthorized:
		return kindred.EUNAUTHORIZED
	case http.StatusForbidden:
		return kindred.EFORBIDDEN
	case http.StatusNotFound:
		return kindred.ENOTFOUND
	case http.StatusConflict, http.StatusPreconditionFailed:
		return kindred.ECONFLICT
	case http.StatusGone:
		return kindred.EGONE
	case http.StatusRequestEntityTooLarge:
		return kindred.ETOOLARGE
	case http.StatusTooManyRequests:
		return kindred.ERATELIMIT
	case http.StatusServiceUnavailable:
		return kindred.EUNAVAILABLE
	}
	if st >= 500 {
		return kindred.EINTERNAL
	}
	return kindred.EINVALID
}

// apiField names the field a huma validation detail is about and says what
// is wrong in words. Locations look like "body.title", "body.roles[1]" or
// "query.page"; a missing property is reported at its parent. The field is
// "" when the detail is about the request as a whole (such as invalid JSON).
func apiField(d *huma.ErrorDetail) (name, message string) {
	loc := d.Location
	if prop, ok := fromFormat(validation.MsgExpectedRequiredProperty, d.Message); ok {
		loc += "." + prop
	}
	_, rest, found := strings.Cut(loc, ".") // drop "body", "query", "path"…
	if !found || rest == "" {
		return "", ""
	}
	if i := strings.IndexByte(rest, '['); i >= 0 {
		rest = rest[:i]
	}
	return rest, apiFieldMessage(d.Message)
}

// apiFieldMessage turns huma's terse validation messages into the kind of
// sentence the services write.
func apiFieldMessage(msg string) string {
	if _, ok := fromFormat(validation.MsgExpectedRequiredProperty, msg); ok || strings.HasPrefix(msg, "required ") {
		return "Please fill this in."
	}
	if n, ok := fromFormat(validation.MsgExpectedMaxLength, msg); ok {
		return fmt.Sprintf("Please keep this to %s characters or fewer.", n)
	}
	if n, ok := fromFormat(validation.MsgExpectedMinLength, msg); ok {
		return fmt.Sprintf("Please use at least %s characters.", n)
	}
	if list, ok := fromFormat(validation.MsgExpectedOneOf, msg); ok {
		return fmt.Sprintf("Please choose one of: %s.", list)
	}
	if n, ok := fromFormat(validation.MsgExpectedMinimumNumber, msg); ok {
		return fmt.Sprintf("Please use a number of at least %s.", n)
	}
	if n, ok := fromFormat(validation.MsgExpectedMaximumNumber, msg); ok {
		return fmt.Sprintf("Please use a number of at most %s.", n)
	}
	if msg == validation.MsgUnexpectedProperty {
		return "This field is not part of this request."
	}
	if what, ok := strings.CutPrefix(msg, "expected "); ok && !strings.Contains(what, " ") {
		return fmt.Sprintf("This should be a %s.", what) // "expected string", "expected boolean"…
	}
	return "This value isn't valid (" + msg + ")."
}

// fromFormat matches msg against a format with one verb ("expected length
// <= %d") and returns what stands in for the verb.
func fromFormat(format, msg string) (string, bool) {
	i := strings.IndexByte(format, '%')
	if i < 0 || i+2 > len(format) {
		return "", false
	}
	prefix, suffix := format[:i], format[i+2:]
	if len(msg) < len(prefix)+len(suffix) || !strings.HasPrefix(msg, prefix) || !strings.HasSuffix(msg, suffix) {
		return "", false
	}
	return msg[len(prefix) : len(msg)-len(suffix)], true
}

// routeRecorder registers huma's handlers (operations and the OpenAPI
// documents alike) through s.handle, so Routes() lists every URL served.
type routeRecorder struct {
	s   *Server
	mux *http.ServeMux
}

func (rr routeRecorder) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	rr.s.handle(rr.mux, pattern, http.HandlerFunc(h))
}

func (rr routeRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) { rr.mux.ServeHTTP(w, r) }
