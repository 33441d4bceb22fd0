// Command pulumi-language-nodejs is a minimal Node.js language host for the Pulumi engine.
//
// The upstream host (module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) is
// refused by our Go module proxy, so this one implements the subset of the LanguageRuntime gRPC
// service that `pulumi up|preview|refresh|destroy` need for TypeScript programs whose resources are
// dynamic providers. See ../README.md for what is and is not implemented.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/google/shlex"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const (
	// Entry script of @pulumi/pulumi that runs a program against the resource monitor.
	defaultRunModule = "@pulumi/pulumi/cmd/run"
	// Entry script of @pulumi/pulumi that serves a policy pack (PulumiPolicy.yaml) as an analyzer.
	policyPackRunModule = "@pulumi/pulumi/cmd/run-policy-pack"
	// Entry script of @pulumi/pulumi that runs any other plugin written in Node.js (PulumiPlugin.yaml).
	defaultPluginRunModule = "@pulumi/pulumi/cmd/run-plugin"
	// Exit code of cmd/run meaning "the error was already reported to the user": the engine
	// should stop without printing anything else (RunResponse.bail).
	exitAfterUserActionableMessage = 32
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

func run(argv []string) error {
	// The engine prepends --logtostderr, -v=N and --tracing URL (when enabled) before the engine
	// address, so all of them must parse even though we only use them for logging.
	flags := flag.NewFlagSet("pulumi-language-nodejs", flag.ContinueOnError)
	tracing := flags.String("tracing", "", "Zipkin-compatible tracing endpoint (passed on to node)")
	logToStderr := flags.Bool("logtostderr", false, "log to stderr")
	verbose := flags.Int("v", 0, "log verbosity")
	flags.Bool("logflow", false, "accepted for compatibility")
	runtime := flags.String("runtime", "nodejs", "only nodejs is supported")
	showVersion := flags.Bool("version", false, "print the version and exit")
	if err := flags.Parse(argv); err != nil {
		return err
	}
	if *showVersion {
		fmt.Println(version.Version)
		return nil
	}
	if *runtime != "nodejs" {
		return fmt.Errorf("unsupported runtime %q: this host only runs nodejs", *runtime)
	}
	logging.InitLogging(*logToStderr, *verbose, false)

	var engineAddress string
	if flags.NArg() > 0 {
		engineAddress = flags.Arg(0)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cancel := make(chan bool)
	go func() {
		<-ctx.Done()
		close(cancel)
	}()

	// Exit when the engine goes away, so an interrupted `pulumi` never leaves us behind. Checked every
	// second: at the SDK's customary 5 minutes, a kill -9'd engine left us running for minutes.
	if engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, engineAddress, time.Second, stop); err != nil {
			return fmt.Errorf("could not start the engine health check: %w", err)
		}
	}

	host := newHost(engineAddress, *tracing)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		return fmt.Errorf("could not start the language host gRPC server: %w", err)
	}
	// The engine reads the port from the first line of our stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		return fmt.Errorf("language host gRPC server stopped: %w", err)
	}
	return nil
}

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	engineAddress string
	tracing       string

	// Cancelled by the Cancel RPC: running programs get SIGINT, then SIGKILL after a grace period.
	cancelCtx  context.Context
	cancelFunc context.CancelFunc
	mu         sync.Mutex
}

func newHost(engineAddress, tracing string) *host {
	ctx, cancel := context.WithCancel(context.Background())
	return &host{engineAddress: engineAddress, tracing: tracing, cancelCtx: ctx, cancelFunc: cancel}
}

func (h *host) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.engineAddress == "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// GetRequiredPlugins reports nothing on purpose: the upstream host walks node_modules and asks the
// engine to download every provider plugin it finds, which can only fail (or hang) offline. Dynamic
// providers use the bundled pulumi-resource-pulumi-nodejs, which needs no declaration.
func (h *host) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

// GetRequiredPackages: see GetRequiredPlugins.
func (h *host) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

// InstallDependencies succeeds without doing anything: dependencies are installed by `npm ci` for
// the whole repository, never by the engine.
func (h *host) InstallDependencies(
	*pulumirpc.InstallDependenciesRequest, grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	return nil
}

func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancelFunc()
	return &emptypb.Empty{}, nil
}

func (h *host) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("running %s --version: %w", node, err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
		Metadata:   map[string]string{"languageHost": "contact-centre minimal host " + version.Version},
	}, nil
}

// GetProgramDependencies lists the dependencies of the nearest package.json with the versions
// installed in node_modules (used by `pulumi about`).
func (h *host) GetProgramDependencies(
	_ context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetPwd()
	}
	pkgDir, pkg, err := nearestPackageJSON(dir)
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, deps := range []map[string]string{pkg.Dependencies, pkg.DevDependencies} {
		for name := range deps {
			names[name] = true
		}
	}
	if !req.GetTransitiveDependencies() {
		for name := range pkg.DevDependencies {
			delete(names, name)
		}
	}
	sorted := make([]string, 0, len(names))
	for name := range names {
		sorted = append(sorted, name)
	}
	sort.Strings(sorted)
	resp := &pulumirpc.GetProgramDependenciesResponse{}
	for _, name := range sorted {
		resp.Dependencies = append(resp.Dependencies, &pulumirpc.DependencyInfo{
			Name:    name,
			Version: installedVersion(pkgDir, name),
		})
	}
	return resp, nil
}

type packageJSON struct {
	Version         string            `json:"version"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
}

func nearestPackageJSON(dir string) (string, packageJSON, error) {
	for d := dir; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "package.json"))
		if err == nil {
			var pkg packageJSON
			if err := json.Unmarshal(data, &pkg); err != nil {
				return "", pkg, fmt.Errorf("%s: %w", filepath.Join(d, "package.json"), err)
			}
			return d, pkg, nil
		}
		if filepath.Dir(d) == d {
			return "", packageJSON{}, fmt.Errorf("no package.json in %s or any parent directory", dir)
		}
	}
}

// installedVersion follows Node's lookup: node_modules/<name> in dir and then each parent.
func installedVersion(dir, name string) string {
	for d := dir; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "node_modules", name, "package.json"))
		if err == nil {
			var pkg packageJSON
			if json.Unmarshal(data, &pkg) == nil {
				return pkg.Version
			}
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// runtimeOptions are Pulumi.yaml's `runtime.options` that this host honours.
type runtimeOptions struct {
	typescript   bool
	tsconfigPath string
	nodeArgs     []string
}

func parseRuntimeOptions(options map[string]any) (runtimeOptions, error) {
	opts := runtimeOptions{typescript: true}
	for key, value := range options {
		switch key {
		case "typescript":
			b, ok := value.(bool)
			if !ok {
				return opts, errors.New("Pulumi.yaml runtime.options.typescript must be a boolean")
			}
			opts.typescript = b
		case "tsconfig":
			s, ok := value.(string)
			if !ok {
				return opts, errors.New("Pulumi.yaml runtime.options.tsconfig must be a string")
			}
			opts.tsconfigPath = s
		case "nodeargs":
			s, ok := value.(string)
			if !ok {
				return opts, errors.New("Pulumi.yaml runtime.options.nodeargs must be a string")
			}
			args, err := shlex.Split(s)
			if err != nil {
				return opts, fmt.Errorf("Pulumi.yaml runtime.options.nodeargs: %w", err)
			}
			opts.nodeArgs = args
		case "packagemanager":
			// Only relevant to InstallDependencies, which is a no-op here.
		default:
			return opts, fmt.Errorf("Pulumi.yaml runtime.options.%s is not supported by this language host", key)
		}
	}
	return opts, nil
}

// resolveModule asks node to resolve a module from dir, exactly as the program would.
func resolveModule(ctx context.Context, node, dir, module string) (string, error) {
	cmd := exec.CommandContext(ctx, node, "-e", "process.stdout.write(require.resolve(process.argv[1]))", module)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("cannot resolve %s from %s (is @pulumi/pulumi installed? run npm ci): %v: %s",
			module, dir, err, strings.TrimSpace(firstLine(stderr.String())))
	}
	return string(out), nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, "Error") {
			return line
		}
	}
	return s
}

// Run starts `node <@pulumi/pulumi/cmd/run> <flags> <entry point> <args>` in the program directory
// and reports its outcome. The Node.js SDK talks to the engine's resource monitor directly; the
// upstream host's monitor proxy and synchronous-invoke pipes are not needed for dynamic providers.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDir := info.GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	entryPoint := info.GetEntryPoint()
	if entryPoint == "" {
		entryPoint = req.GetProgram()
	}
	if entryPoint == "" {
		entryPoint = "."
	}

	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not find node on the $PATH: %v", err)}, nil
	}
	runModule := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runModule == "" {
		runModule = defaultRunModule
	}
	runScript, err := resolveModule(ctx, node, programDir, runModule)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	var options map[string]any
	if info.GetOptions() != nil {
		options = info.GetOptions().AsMap()
	}
	opts, err := parseRuntimeOptions(options)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	// Keys are passed as the engine gives them ("ns:key"); the SDK accepts them as they are.
	config, err := json.Marshal(nonNil(req.GetConfig()))
	if err != nil {
		return nil, err
	}
	secretKeys, err := json.Marshal(nonNilSlice(req.GetConfigSecretKeys()))
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys),
	)
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfigPath != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfigPath)
	}

	args := append([]string{}, opts.nodeArgs...)
	args = append(args, runScript)
	flag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	h.mu.Lock()
	engineAddress := h.engineAddress
	h.mu.Unlock()
	flag("monitor", req.GetMonitorAddress())
	flag("engine", engineAddress)
	flag("organization", req.GetOrganization())
	flag("project", req.GetProject())
	flag("root-directory", info.GetRootDirectory())
	flag("stack", req.GetStack())
	flag("pwd", programDir)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flag("parallel", strconv.Itoa(int(req.GetParallel())))
	flag("tracing", h.tracing)
	args = append(args, entryPoint)
	args = append(args, req.GetArgs()...)
	logging.V(5).Infof("pulumi-language-nodejs: running %s %s", node, strings.Join(args, " "))

	// Stop the program when the engine cancels the request or sends Cancel.
	cmdCtx, cmdCancel := context.WithCancel(h.cancelCtx)
	defer cmdCancel()
	stopWatching := context.AfterFunc(ctx, cmdCancel)
	defer stopWatching()
	cmd := exec.CommandContext(cmdCtx, node, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	cmd.Dir = programDir
	cmd.Env = env
	// Node may switch its stdio to non-blocking mode; give it pipes copied into ours, never our fds.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}

	err = cmd.Run()
	_ = os.Stdout.Sync()
	_ = os.Stderr.Sync()
	if err == nil {
		return &pulumirpc.RunResponse{}, nil
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		if exitErr.ExitCode() == exitAfterUserActionableMessage {
			return &pulumirpc.RunResponse{Bail: true}, nil
		}
		if cmdCtx.Err() != nil {
			return &pulumirpc.RunResponse{Error: "Program was cancelled"}, nil
		}
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
		}, nil
	}
	return &pulumirpc.RunResponse{
		Error: fmt.Sprintf("Problem executing program (could not run %s): %v", node, err),
	}, nil
}

// RunPlugin runs a plugin written in Node.js and streams its stdout/stderr back to the engine, which
// reads the plugin's gRPC port from the first line of stdout. The engine calls it for policy packs
// (kind "analyzer": `--policy-pack <dir>` with a PulumiPolicy.yaml) and for PulumiPlugin.yaml plugins.
//
// Policy packs run `@pulumi/pulumi/cmd/run-policy-pack <args> <pack dir>` resolved from the pack
// directory and in it. The Node.js policy runtime learns the stack only from environment variables
// (PULUMI_NODEJS_STACK, PULUMI_CONFIG, ...), while the engine sends it over gRPC (ConfigureStack)
// after the plugin has started; the sdk's PolicyProxy bridges the two: it answers the engine first,
// and the real pack is started with that stack's environment and attached behind the proxy.
func (h *host) RunPlugin(
	req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	ctx := server.Context()
	info := req.GetInfo()
	programDir := info.GetProgramDirectory()
	policyPack := req.GetKind() == string(apitype.AnalyzerPlugin)
	logging.V(5).Infof("pulumi-language-nodejs: running %s plugin in %s", req.GetKind(), programDir)

	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	var options map[string]any
	if info.GetOptions() != nil {
		options = info.GetOptions().AsMap()
	}
	opts, err := parseRuntimeOptions(options)
	if err != nil {
		return err
	}
	module := policyPackRunModule
	if !policyPack {
		if module = os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH"); module == "" {
			module = defaultPluginRunModule
		}
	}
	script, err := resolveModule(ctx, node, programDir, module)
	if err != nil {
		return err
	}

	// The engine sends its whole environment (plus the plugin's additions) in req.Env; an engine that
	// sends none gets ours rather than an empty one (no PATH, no HOME).
	env := append([]string{}, req.GetEnv()...)
	if len(env) == 0 {
		env = os.Environ()
	}
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfigPath != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfigPath)
	}

	args := append(append([]string{}, opts.nodeArgs...), script)
	// Policy packs take the program (pack) directory last, other plugins first.
	if policyPack {
		args = append(append(args, req.GetArgs()...), programDir)
	} else {
		args = append(append(args, programDir), req.GetArgs()...)
	}

	childStdout := stdout
	var proxy *sdk.PolicyProxy
	if policyPack {
		// The proxy prints its own port to the engine and hands the child a pipe it reads the pack's
		// port from; it then forwards the rest of the child's stdout.
		proxy, childStdout, err = sdk.NewPolicyProxy(ctx, stdout)
		if err != nil {
			return fmt.Errorf("could not start the policy pack proxy: %w", err)
		}
		stack, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("could not get the stack configuration for the policy pack: %w", err)
		}
		env, err = appendPolicyStackEnv(env, stack)
		if err != nil {
			return err
		}
	}

	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	// Policy packs have always run in their own directory; other plugins in the engine's.
	cmd.Dir = req.GetPwd()
	if policyPack || cmd.Dir == "" {
		cmd.Dir = programDir
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = childStdout, stderr
	logging.V(5).Infof("pulumi-language-nodejs: running %s %s in %s", node, strings.Join(args, " "), cmd.Dir)

	if err := cmd.Start(); err != nil {
		return fmt.Errorf("Problem executing plugin program (could not run %s): %w", node, err)
	}
	if proxy != nil {
		err = proxy.Attach(ctx, cmd) // waits for the pack to exit
	} else {
		err = cmd.Wait()
	}
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return fmt.Errorf("Program exited with non-zero exit code: %d", exitErr.ExitCode())
		}
		return err
	}
	return closer.Close()
}

// appendPolicyStackEnv adds the stack the engine configured (ConfigureStack) as the environment
// variables the Node.js policy runtime reads: PULUMI_NODEJS_ORGANIZATION, _PROJECT, _STACK, _DRY_RUN
// and the stack's configuration as PULUMI_CONFIG (JSON, keys "ns:key"). A nil stack (e.g. `pulumi
// policy publish`) adds nothing.
func appendPolicyStackEnv(env []string, stack *pulumirpc.AnalyzerStackConfigureRequest) ([]string, error) {
	if stack == nil {
		return env, nil
	}
	add := func(name, value string) {
		if value != "" {
			env = append(env, name+"="+value)
		}
	}
	add("PULUMI_NODEJS_ORGANIZATION", stack.GetOrganization())
	add("PULUMI_NODEJS_PROJECT", stack.GetProject())
	add("PULUMI_NODEJS_STACK", stack.GetStack())
	add("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(stack.GetDryRun()))
	if stack.GetConfig() != nil {
		config, err := json.Marshal(stack.GetConfig())
		if err != nil {
			return nil, fmt.Errorf("could not encode the stack configuration: %w", err)
		}
		add("PULUMI_CONFIG", string(config))
	}
	if keys := stack.GetConfigSecretKeys(); len(keys) > 0 {
		secretKeys, err := json.Marshal(keys)
		if err != nil {
			return nil, err
		}
		add("PULUMI_CONFIG_SECRET_KEYS", string(secretKeys))
	}
	return env, nil
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func nonNilSlice(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
