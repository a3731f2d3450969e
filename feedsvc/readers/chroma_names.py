"""Whether Chroma (Hugo 0.111's highlighter) finds a lexer for a fenced code block's
language: by a lexer's name or alias (as written, then in lower case), else by the file
names a lexer reads, matched with `filename.<language>` and with the language itself
(so `hcl:main.tf` finds Terraform's by `*.tf`). A block in a language Chroma does not find
is written by Hugo unhighlighted, and so without line numbers. The names and patterns are
Chroma's, as hugo 0.111.3 finds them (each checked with it), those of its lexers written in Go
(Caddyfile, CQL, Chapel, Mako, Mason, Myghty, OpenEdge ABL, PostgreSQL, …) too."""

from __future__ import annotations

from fnmatch import fnmatchcase

MAX_LANGUAGE = 200  # characters of a language looked up (an info string's first word)

NAMES = frozenset("""
    1s 1s:enterprise abap abl abnf aconf actionscript actionscript3 ada ada2005 ada95 al angular2 antlr
    apache apacheconf apl applescript arduino arexx armasm as as3 asm awk b3d ballerina bash
    bash-session bashsession basic bat batch batchfile bf bib bibtex bicep bind blitzbasic bnf bplus bqn
    brainfuck bsdmake c c# c++ caddy caddy-d caddyfile caddyfile-d caddyfile-directives capnp cassandra
    cassette ceylon cf3 cfengine3 cfg cfs cfstatement chai chaiscript chapel cheetah chpl cl clj clojure
    cmake cobol coffee coffee-script coffeescript common-lisp console coq cpp cql cr crystal csh csharp
    css cucumber cython d dart diff django django/jinja dns docker dockerfile dosbatch dosini dtd duby
    dylan ebnf elisp elixir elm emacs emacs-lisp emacslisp erlang ex exs f90 factor fennel fish
    fishshell fnl forth fortran fortranfixed fsharp gas gawk gd gdscript genshi genshitext gherkin glsl
    gnuplot go go-html-template go-text-template golang gql graphql graphqls groff groovy gsed
    handlebars haskell haxe hbs hcl hexdump hlb hlsl hs html html+genshi http hx hxsl hy hylang idr
    idris igor igorpro ini io j java java-properties javascript jinja jl js json jsx julia jungle kid
    kotlin ksh latex lighttpd lighty lisp llvm lua m2 make makefile mako man mariadb markdown mason
    mathematica matlab mawk mcfunction md meson meson.build metal minizinc mkd mlir mma modula-2 modula2
    monkeyc morrowind morrowindscript mwscript myghty mysql mzn nasm nawk nb newspeak ng2 nginx nim
    nimrod nix nixos no-highlight nroff obj-c objc objective-c objectivec ocaml octave ones
    onesenterprise openedge openedgeabl openscad org orgmode pacmanconf perl perl6 php php3 php4 php5
    phtml pig pkgconfig pl pl/pgsql pl6 plain plaintext plc plpgsql plutus-core pony posh postgres
    postgresql postscr postscript pov povray powerquery powershell pq progress prolog promql properties
    proto protobuf ps1 psd1 psl psm1 puppet pwsh py py2 py3 pyrex python python2 python3 pyx qbasic qbs
    qml r racket ragel raku rb react reason reasonml reg registry rest restructuredtext rexx rkt rs rst
    ruby rust s sage sas sass scala scheme scilab scm scss sed sh sh-session shell shell-session sieve
    smalltalk smarty sml snobol sol solidity sparql spitfire splus sql squeak squid squid.conf squidconf
    ssed st stas stylus sv svelte swift systemd systemverilog t-sql tablegen tape tasm tcl tcsh termcap
    terminfo terraform tex text tf thrift toml tpl tradingview transact-sql ts tsql tsx turing turtle tv
    twig txt typescript typoscript typoscriptcssdata typoscripthtmldata udiff v vala vapi vb.net vbnet
    verilog vhdl vhs vim viml vlang vue vuejs wdte whiley winbatch xml xml+genshi xorg xorg.conf yaml
    yang zed zig zone zsh
""".split())
# File name patterns `*.<extension>`, by their extension (compared as written).
EXTENSIONS = frozenset("""
    1p 3pm ABAP ASM BAS BATCH C COB CPP CPY EPF ERF F F03 F90 F95 FEATURE H PROC R S SAS TRIG abap abnf
    ada adb ads al apl applescript arexx as asm automount aux awk b bal bas bash bat bb bf bib bicep bnf
    bqn bzl c c++ capnp cc cdf ceylon cf cfg chai cjs cl clj cls cmake cmd cob coffee cp cpp cpy cr cs
    csh csproj css cts cxx d dal dart decls def device di diff dnssd docker dtd duby dyl dylan dzn ebnf
    ebuild ecl eclass el elm env epf eps erf erl es escript ex exheres-0 exlib exs f f03 f90 f95 factor
    feature fennel fish frag frt fs fsi fsproj fth fun fzn gd gemspec geo go gradle graphql graphqls
    groovy h h++ handlebars hbs hcl hh hlb hlsl hlsli hpp hrl hs htm html hx hxsl hxx hy idc idr ijs inc
    inf ini ino intr io ipf java jl js jsm json jsx jungle jy kid ksh kt link lisp ll load lua m ma mak
    man mao markdown mc mcfunction md metal mhtml mi mjs mk mkd ml mli mlir mll mly mod mount mts myt
    mzn nb nbp netdev network nim nimrod nix ns2 org p p6 patch path pc php phtml pig pl pl6 plc plot
    plt pm pm6 pony pov pp pq pro prolog promql properties proto ps ps1 psd1 psl psm1 pxd pxi py pyi pyw
    pyx qbs qml r rake raku rakumod rb rbw rbx re react reg rei rest rex rexx rkt rktd rktl rq rs rs.in
    rss rst rvt rx s sage sas sass sc scad scala sce sci scm scope scss sed service sh sieve sig siv
    slice sml snobol socket sol sparql sql ss st stas styl sv svelte svg svh swap swift t tac tape
    target tasm tcl tcsh td tex tf thrift timer tmpl toc toml tpl ts tst tsx ttl tu turing tv txt v vala
    vapi vb vcxproj vert vhd vhdl vim vue vv wdte whiley wlua wsdl wsf xhtml xml xsd xsl xslt yaml yang
    yml zed zig zsh zshrc
""".split())
FILE_NAMES = frozenset("""
    .Renviron .Rhistory .Rprofile .bashrc .editorconfig .env .gitconfig .htaccess .pylintrc .vimrc
    .zshrc BUCK BUILD BUILD.bazel CMakeLists.txt Dockerfile GNUmakefile Gemfile Makefile PKGBUILD
    Rakefile SConscript SConstruct WORKSPACE _vimrc apache.conf apache2.conf autodelegate autohandler
    bashrc dhandler makefile meson.build meson_options.txt nginx.conf pacman.conf pylintrc squid.conf
    termcap termcap.src terminfo terminfo.src xorg.conf zshrc
""".split())
PATTERNS = ('*.[1-9]', '*.[gs]sed', '*.php[345]', '*.x[bp]m', '.bash_*', 'Caddyfile*', 'Makefile.*', 'bash_*')


def has_lexer(language: str) -> bool:
    if language in NAMES or language.lower() in NAMES:
        return True
    if len(language) > MAX_LANGUAGE:
        return False
    name = "filename." + language
    if language in FILE_NAMES or any(name[dot + 1:] in EXTENSIONS for dot, char in enumerate(name) if char == "."):
        return True
    return any(fnmatchcase(name, pattern) or fnmatchcase(language, pattern) for pattern in PATTERNS)
