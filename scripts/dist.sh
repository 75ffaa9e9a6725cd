#!/usr/bin/env bash
# The release tarball for hosts with no compiler, no libclang and no network.
#
#   scripts/dist.sh [OUTDIR]             build, check and package into OUTDIR (default dist)
#   scripts/dist.sh check-binary FILE    only the checks; prints the minimum glibc
#
# OUTDIR gets:
#   dumpshift-VERSION-x86_64-linux.tar.gz        the stripped binary, README.md,
#       LICENSE-MIT, LICENSE-APACHE, complete/ (bash, zsh, fish), man/man1/
#   dumpshift-VERSION-x86_64-linux-debug.tar.gz  dumpshift.debug, the binary's
#       debug info, named by its .gnu_debuglink; it unpacks beside the binary
#   SHA256SUMS                                   `sha256sum -c SHA256SUMS` checks both
#
# The binary may need the C library and nothing else (NEEDED entries of glibc
# and libgcc_s only, no RPATH); the minimum glibc is measured from its version
# needs, and the README must state that number.
#
# Same commit, checkout path and toolchain => same bytes: names sorted, every
# mtime SOURCE_DATE_EPOCH (default: the commit's time), owner 0/0, modes
# 0755/0644, gzip -n. The path matters because pg_query's C sources, compiled
# from the target directory, keep their file names in the binary.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "dist: $*" >&2; exit 1; }

# The libraries glibc and libgcc provide: what any glibc x86_64 Linux has.
ALLOWED_NEEDED="libc.so.6 libm.so.6 libgcc_s.so.1 ld-linux-x86-64.so.2 libpthread.so.0 libdl.so.2 librt.so.1"

# Checks FILE is an x86_64 ELF that needs only ALLOWED_NEEDED; prints the
# highest GLIBC_x.y among its version needs (what ld.so checks at start).
check_binary() {
    local file=$1 needed lib bad="" glibc
    readelf -h "$file" 2>/dev/null | grep -q 'Machine:.*X86-64' ||
        die "$file: not an x86_64 ELF file"
    needed=$(readelf -d "$file" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p')
    for lib in $needed; do
        [[ " $ALLOWED_NEEDED " == *" $lib "* ]] || bad="$bad $lib"
    done
    [ -z "$bad" ] || die "$file needs more than the C library:$bad (allowed: $ALLOWED_NEEDED)"
    ! readelf -d "$file" | grep -Eq '\((RPATH|RUNPATH)\)' ||
        die "$file has an RPATH or RUNPATH: it would look for libraries on the build host's paths"
    readelf -l "$file" | grep -q 'interpreter: /lib64/ld-linux-x86-64.so.2\]' ||
        die "$file: the program interpreter is not /lib64/ld-linux-x86-64.so.2"
    ! readelf -V -W "$file" | grep -q 'Name: GLIBC_PRIVATE' ||
        die "$file uses GLIBC_PRIVATE symbols: it would run on this glibc build only"
    glibc=$(readelf -V -W "$file" |
        awk '/^Version needs section/ { n = 1 } /^Version (symbols|definition) section/ { n = 0 }
             n { for (i = 1; i < NF; i++) if ($i == "Name:" && $(i + 1) ~ /^GLIBC_[0-9]/) print substr($(i + 1), 7) }' |
        sort -uV | tail -n 1)
    [ -n "$glibc" ] || die "$file: no GLIBC version needs found (a static binary?)"
    echo "$glibc"
}

if [ "${1:-}" = check-binary ]; then
    [ $# -eq 2 ] || die "usage: scripts/dist.sh check-binary FILE"
    check_binary "$2"
    exit 0
fi
[ $# -le 1 ] || die "usage: scripts/dist.sh [OUTDIR]"
OUTDIR=${1:-dist}
CARGO=${CARGO:-cargo}

for tool in readelf objcopy tar gzip sha256sum; do
    command -v "$tool" >/dev/null || die "$tool is missing (binutils, tar, gzip, coreutils)"
done
host=$("$CARGO" -vV 2>/dev/null | sed -n 's/^host: //p')
[ -n "$host" ] || host=$(rustc -vV | sed -n 's/^host: //p')
[ "$host" = x86_64-unknown-linux-gnu ] ||
    die "this builds x86_64-linux tarballs; the toolchain's host is $host"

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$PWD" ] ||
        die "not a git checkout: set SOURCE_DATE_EPOCH (seconds) for the archive's mtimes"
    SOURCE_DATE_EPOCH=$(git log -1 --format=%ct HEAD)
fi
[[ "$SOURCE_DATE_EPOCH" =~ ^[0-9]+$ ]] || die "SOURCE_DATE_EPOCH must be whole seconds, got '$SOURCE_DATE_EPOCH'"

# --locked: the tarball is built from the committed Cargo.lock or not at all.
# Without SOURCE_DATE_EPOCH: the cc crate would rebuild pg_query's C for each
# new value, and the binary holds no build time to fix anyway.
env -u SOURCE_DATE_EPOCH "$CARGO" build --release --locked
target_dir=$("$CARGO" metadata --no-deps --format-version 1 --locked |
    grep -o '"target_directory":"[^"]*"' | cut -d'"' -f4)
built="$target_dir/release/dumpshift"
[ -x "$built" ] || die "$built was not built"

mkdir -p "$OUTDIR"
stage=$(mktemp -d "$OUTDIR/.dist.XXXXXX")
trap 'rm -rf "$stage"' EXIT

version=$("$built" -V | sed -n 's/^dumpshift \([^ ]*\)$/\1/p')
[ -n "$version" ] || die "$built -V printed no version"
name="dumpshift-$version-x86_64-linux"
pkg="$stage/$name"
debug="$stage/debug/$name"
mkdir -p "$pkg/complete" "$pkg/man/man1" "$debug"

objcopy --only-keep-debug "$built" "$debug/dumpshift.debug"
objcopy --strip-all "$built" "$stage/stripped"
objcopy --add-gnu-debuglink="$debug/dumpshift.debug" "$stage/stripped" "$pkg/dumpshift"
rm "$stage/stripped"

glibc=$(check_binary "$pkg/dumpshift")
grep -qF "glibc $glibc or newer" README.md ||
    die "the binary needs glibc $glibc: README.md must say \"glibc $glibc or newer\" (section Air-gapped hosts)"

# The shipped binary writes its own completions and man pages: this runs it
# once, as the target host will, with nothing from the build environment.
bare() { env -i PATH=/usr/bin:/bin "$pkg/dumpshift" "$@"; }
bare completions bash >"$pkg/complete/dumpshift.bash"
bare completions zsh >"$pkg/complete/_dumpshift"
bare completions fish >"$pkg/complete/dumpshift.fish"
bare man "$pkg/man/man1"
cp README.md LICENSE-MIT LICENSE-APACHE "$pkg/"

pack() { # DIR NAME OUT LEVEL: DIR/NAME as a reproducible .tar.gz
    find "$1/$2" -type d -exec chmod 0755 {} +
    find "$1/$2" -type f -exec chmod 0644 {} +
    [ ! -e "$1/$2/dumpshift" ] || chmod 0755 "$1/$2/dumpshift"
    tar --create --format=gnu --sort=name --mtime="@$SOURCE_DATE_EPOCH" \
        --owner=0 --group=0 --numeric-owner --no-acls --no-xattrs --no-selinux \
        -C "$1" "$2" | gzip -n "-$4" >"$3"
}
# -9 on the debug info would take four times as long to save 1.5%.
pack "$stage" "$name" "$stage/$name.tar.gz" 9
pack "$stage/debug" "$name" "$stage/$name-debug.tar.gz" 6
(cd "$stage" && sha256sum "$name.tar.gz" "$name-debug.tar.gz") >"$stage/SHA256SUMS"

# SHA256SUMS last: whoever reads OUTDIR meanwhile sees the old sums or the new.
mv -f "$stage/$name.tar.gz" "$stage/$name-debug.tar.gz" "$OUTDIR/"
mv -f "$stage/SHA256SUMS" "$OUTDIR/SHA256SUMS"

commit=$("$pkg/dumpshift" --version | sed -n 's/^commit: //p')
case $commit in
*-dirty | unknown) echo "dist: warning: built from commit '$commit', not a clean checkout" >&2 ;;
esac
echo "dist: $OUTDIR/$name.tar.gz ($(wc -c <"$OUTDIR/$name.tar.gz") bytes), commit $commit, needs glibc $glibc or newer"
echo "dist: $OUTDIR/$name-debug.tar.gz, $OUTDIR/SHA256SUMS"
