#!/usr/bin/env bash
# Builds and runs deploy/Dockerfile without a Docker engine, and checks the
# result: each stage's base image is made with debootstrap (Debian 12, the
# minbase variant, which is what debian:12 is; debian:12-slim also drops
# documentation and locales), and the stage's instructions, read from the
# Dockerfile itself, are carried out in a chroot: RUN with /bin/sh -c as
# its user in its WORKDIR, COPY from the build context (less .dockerignore) or
# from an earlier stage. Then the last stage's ENTRYPOINT + CMD is started as
# its USER, in a network namespace of its own (as a container has), with a
# token file and the image's workspace volume, and the check asks it for
# /healthz, the page and its front-end libraries, renders an example through
# /api/render (the PDF's text read with pdftotext), and runs the HEALTHCHECK
# command.
#
# Not part of the test suite: it downloads a Debian system (about 200 MB, kept
# in the work folder for the next run) and compiles vanban, which takes
# minutes. Needs root, debootstrap, unshare, ip, curl, jq, python3,
# pdftotext, pdffonts and unzip.
#
#   bash tools/check-dockerfile.sh [--keep] [--reuse-build]
#
# VANBAN_CHECK_DIR   work folder (default /tmp/vanban-check-dockerfile; not
#                    inside the repository)
# VANBAN_CHECK_JOBS  compile jobs: `nproc` in the build stage answers this
#                    (default 2)
# VANBAN_CHECK_MIRROR  Debian mirror (default http://deb.debian.org/debian)
# --keep             leave the roots in the work folder for inspection
# --reuse-build      take the earlier stages' roots as a previous run with
#                    --keep left them (when working on the last stage or on
#                    this check; not a check of the Dockerfile as it is now)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dockerfile=$repo/deploy/Dockerfile
work=${VANBAN_CHECK_DIR:-/tmp/vanban-check-dockerfile}
jobs=${VANBAN_CHECK_JOBS:-2}
mirror=${VANBAN_CHECK_MIRROR:-http://deb.debian.org/debian}
keep=0 reuse=0
for a in "$@"; do
  case "$a" in
    --keep) keep=1 ;;
    --reuse-build) reuse=1 keep=1 ;;
    *) echo "usage: bash tools/check-dockerfile.sh [--keep] [--reuse-build]" >&2; exit 2 ;;
  esac
done

say() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || fail "run as root (debootstrap, chroot and mount need it)"
for t in debootstrap unshare ip curl jq python3 pdftotext pdffonts unzip; do
  command -v "$t" >/dev/null || fail "$t is missing (apt-get install debootstrap iproute2 curl jq python3 poppler-utils unzip)"
done
case "$work/" in "$repo"/*) fail "VANBAN_CHECK_DIR must be outside the repository: COPY . . would take it in" ;; esac
mkdir -p "$work"
work=$(cd "$work" && pwd)

# ---- clean-up: every mount under the work folder, the server, the roots ----
unmount_all() {
  local m
  # Deepest first; lazily, so that a busy mount cannot stop the clean-up.
  while read -r m; do
    [[ -n "$m" ]] && umount -l "$m" 2>/dev/null || true
  done < <(findmnt -rn -o TARGET | awk -v w="$work/" 'index($0, w) == 1' | sort -r)
}
cleanup() {
  local rc=$?
  unmount_all
  if ((keep == 0)); then remove_roots; else echo "roots kept in $work/roots"; fi
  exit $rc
}
# Never delete a root while anything is still mounted in it.
remove_roots() {
  if findmnt -rn -o TARGET | awk -v w="$work/" 'index($0, w) == 1' | grep -q .; then
    echo "still mounted under $work, not deleting the roots:" >&2
    findmnt -rn -o TARGET | awk -v w="$work/" 'index($0, w) == 1' >&2
    return 1
  fi
  if ((reuse)); then
    # Only the last stage's root; the others stay for the next run.
    rm -rf --one-file-system "$work/roots/$(($(jq length "$work/stages.json" 2>/dev/null || echo 1) - 1))"
  else
    rm -rf --one-file-system "$work/roots"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
unmount_all
remove_roots
mkdir -p "$work/roots" "$work/cache"

# ---- the Dockerfile, as docker reads it (tools/dockerfile.py) ---------------
python3 "$repo/tools/dockerfile.py" "$dockerfile" > "$work/stages.json"
nstages=$(jq length "$work/stages.json")
((nstages >= 1)) || fail "no stage in $dockerfile"

# ---- base images ---------------------------------------------------------------
base_tar=$work/cache/bookworm-minbase.tar
if [[ ! -s "$base_tar" ]]; then
  say "debootstrap --variant=minbase bookworm (once; kept in $base_tar)"
  rm -rf --one-file-system "$work/cache/base"
  debootstrap --variant=minbase bookworm "$work/cache/base" "$mirror" > "$work/cache/debootstrap.log" 2>&1 \
    || fail "debootstrap failed, see $work/cache/debootstrap.log"
  tar -C "$work/cache/base" -cf "$base_tar.part" . && mv "$base_tar.part" "$base_tar"
  rm -rf --one-file-system "$work/cache/base"
fi

# A root for `FROM image`: the minbase system with the sources and apt
# settings of Debian's images (updates and security too).
make_root() {  # image dir
  local image=$1 root=$2
  case "$image" in debian:12|debian:bookworm|debian:12-slim|debian:bookworm-slim) ;;
    *) fail "base image $image: the check only makes debian:12 and debian:12-slim" ;; esac
  mkdir -p "$root"
  tar -C "$root" -xf "$base_tar"
  rm -f "$root/etc/apt/sources.list"
  cat > "$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: ${mirror}
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*
  if [[ "$image" == *slim ]]; then
    # As Debian's slim images: no manuals, documentation (but the copyright
    # files) or translations, now or from packages installed later.
    cat > "$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
    find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
    rm -rf "$root/usr/share/man/"* "$root/usr/share/info/"* "$root/usr/share/groff/"* "$root/usr/share/lintian/"*
    find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
  fi
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # /proc and a /dev of its own, as a container has.
  mount -t proc proc "$root/proc"
  mount -t tmpfs -o mode=755,nosuid tmpfs "$root/dev"
  local n name major minor
  for n in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
    IFS=: read -r name major minor <<<"$n"
    mknod -m 666 "$root/dev/$name" c "$major" "$minor"
  done
  mkdir "$root/dev/pts" "$root/dev/shm"
  mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$root/dev/pts"
  ln -s pts/ptmx "$root/dev/ptmx"
  mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$root/dev/shm"
  ln -s /proc/self/fd "$root/dev/fd"
  ln -s /proc/self/fd/0 "$root/dev/stdin"; ln -s /proc/self/fd/1 "$root/dev/stdout"; ln -s /proc/self/fd/2 "$root/dev/stderr"
}

# uid:gid of a user (name or number, with an optional :group) in a root.
user_ids() {  # root user
  local root=$1 spec=$2 u g uid gid
  u=${spec%%:*}; g=""; [[ "$spec" == *:* ]] && g=${spec#*:}
  if [[ "$u" =~ ^[0-9]+$ ]]; then uid=$u; gid=$(awk -F: -v u="$u" '$3 == u {print $4}' "$root/etc/passwd")
  else
    uid=$(awk -F: -v u="$u" '$1 == u {print $3}' "$root/etc/passwd")
    gid=$(awk -F: -v u="$u" '$1 == u {print $4}' "$root/etc/passwd")
  fi
  [[ -n "$uid" ]] || fail "user $u does not exist in the image"
  if [[ -n "$g" ]]; then
    if [[ "$g" =~ ^[0-9]+$ ]]; then gid=$g; else gid=$(awk -F: -v g="$g" '$1 == g {print $3}' "$root/etc/group"); fi
  fi
  echo "$uid:${gid:-$uid}"
}

# A command in a root, as a process in a container: a clean environment,
# the stage's user and working folder.
in_root() {  # root user workdir argv...
  local root=$1 user=$2 dir=$3 ids home run=(); shift 3
  # IN_ROOT_EXEC=1: the caller's (sub)shell becomes the command, so that its
  # pid is the server's.
  [[ -n "${IN_ROOT_EXEC:-}" ]] && run=(exec)
  ids=$(user_ids "$root" "$user")
  home=$(awk -F: -v u="${ids%:*}" '$3 == u {print $6; exit}' "$root/etc/passwd")
  "${run[@]}" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="${home:-/}" OMP_NUM_THREADS="$jobs" \
    chroot --userspec="$ids" --groups="${ids#*:}" "$root" \
    /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$dir" "$@"
}

# COPY from the build context: the repository less .dockerignore.
copy_context() {  # src dest-in-root
  local src=$1 dest=$2 pat
  local -a excl=()
  if [[ -f "$repo/.dockerignore" ]]; then
    while read -r pat; do
      [[ -z "$pat" || "$pat" == \#* ]] && continue
      [[ "$pat" == !* ]] && fail ".dockerignore: exceptions (!) are not carried out by the check"
      excl+=("--exclude=./${pat#/}")
    done < "$repo/.dockerignore"
  fi
  if [[ -d "$repo/$src" ]]; then
    # The folder's contents go into dest; .dockerignore's patterns are relative
    # to the context, so the archive is made from there.
    local rel=${src#./} path=. strip=1
    rel=${rel%/}
    if [[ -n "$rel" && "$rel" != . ]]; then path=./$rel; strip=$((2 + $(tr -cd / <<<"$rel" | wc -c))); fi
    mkdir -p "$dest"
    (cd "$repo" && tar --anchored --no-wildcards-match-slash "${excl[@]}" --owner=0 --group=0 -cf - "$path") |
      tar -C "$dest" --strip-components="$strip" -xf -
  else
    [[ -f "$repo/$src" ]] || fail "COPY $src: no such file in the context"
    [[ "$dest" == */ ]] && dest=$dest$(basename "$src")
    install -D -m "$(stat -c %a "$repo/$src")" "$repo/$src" "$dest"
  fi
}

# ---- the stages ----------------------------------------------------------------
declare -A stage_root
for ((i = 0; i < nstages; i++)); do
  st() { jq -r ".[$i]$1" "$work/stages.json"; }
  image=$(st .image); name=$(st .name)
  root=$work/roots/$i
  stage_root[$name]=$root; stage_root[$i]=$root
  if ((reuse && i < nstages - 1)) && [[ -f "$work/roots/$i.done" ]]; then
    say "stage $i ($name): the root of an earlier run, reused (--reuse-build)"
    continue
  fi
  rm -f "$work/roots/$i.done"
  say "stage $i ($name): FROM $image"
  make_root "$image" "$root"
  user=root; dir=/
  nsteps=$(st '.steps | length')
  for ((k = 0; k < nsteps; k++)); do
    op=$(st ".steps[$k].op")
    case "$op" in
      WORKDIR)
        arg=$(st ".steps[$k].arg"); [[ "$arg" == /* ]] || arg=$dir/$arg
        dir=$arg; mkdir -p "$root$dir"; echo "WORKDIR $dir" ;;
      USER) user=$(st ".steps[$k].arg"); echo "USER $user" ;;
      VOLUME)
        # As docker: the folder exists in the image (a new volume starts as a copy of it).
        for v in $(st ".steps[$k].arg" | tr -d '[]",'); do mkdir -p "$root$v"; echo "VOLUME $v"; done ;;
      EXPOSE|ENTRYPOINT|CMD|HEALTHCHECK) echo "$op (for the run below)" ;;
      COPY)
        from=$(st ".steps[$k].from // empty"); dest=$(st ".steps[$k].dest")
        [[ "$dest" == /* ]] || dest=$dir/$dest
        while read -r src; do
          echo "COPY ${from:+--from=$from }$src $dest"
          if [[ -n "$from" ]]; then
            [[ -n "${stage_root[$from]:-}" ]] || fail "COPY --from=$from: no such stage"
            s=${stage_root[$from]}$src
            if [[ -d "$s" ]]; then mkdir -p "$root$dest" && cp -a "$s/." "$root$dest/"
            else install -D "$s" "$root$dest"; fi
          else
            copy_context "$src" "$root$dest"
          fi
        done < <(st ".steps[$k].src[]")
        ;;
      RUN)
        cmd=$(st ".steps[$k].shell")
        [[ "$cmd" != null ]] || fail "RUN in exec form is not carried out by the check"
        echo "RUN $cmd"
        start=$SECONDS
        in_root "$root" "$user" "$dir" /bin/sh -c "$cmd" </dev/null > "$work/stage$i-run$k.log" 2>&1 ||
          { tail -40 "$work/stage$i-run$k.log"; fail "stage $i: RUN failed (log: $work/stage$i-run$k.log)"; }
        echo "   done in $((SECONDS - start)) s (log: $work/stage$i-run$k.log)" ;;
    esac
  done
  final_user=$user
  touch "$work/roots/$i.done"
done
rt=$work/roots/$((nstages - 1))
last() { jq -c ".[$((nstages - 1))].steps | map(select(.op == \"$1\")) | last" "$work/stages.json"; }

# ---- the image -----------------------------------------------------------------
say "the image"
entry=$(last ENTRYPOINT | jq -c '.exec // empty'); cmd=$(last CMD | jq -c '.exec // empty')
[[ -n "$entry" ]] || fail "no ENTRYPOINT in exec form"
mapfile -t argv < <(jq -r '.[]' <<<"$entry"; [[ -n "$cmd" ]] && jq -r '.[]' <<<"$cmd")
bin=${argv[0]}
echo "ENTRYPOINT + CMD: ${argv[*]}"
echo "size of the image's root: $(du -shx "$rt" | cut -f1)"
in_root "$rt" root / ldd "$bin" > "$work/ldd.txt"
cat "$work/ldd.txt"
! grep -q "not found" "$work/ldd.txt" || fail "libraries missing from the image: $(grep 'not found' "$work/ldd.txt" | awk '{print $1}' | xargs)"
# Every library the binary loads comes from a Debian package of the image.
while read -r lib; do
  in_root "$rt" root / dpkg -S "$(in_root "$rt" root / readlink -f "$lib")" >/dev/null 2>&1 ||
    in_root "$rt" root / dpkg -S "$lib" >/dev/null 2>&1 || fail "$lib belongs to no installed package"
done < <(awk '$2 == "=>" {print $3}' "$work/ldd.txt")
echo "every library is from an installed Debian package"
in_root "$rt" "$final_user" / "$bin" --version
for f in /usr/share/javascript/pdf/build/pdf.js /usr/share/javascript/pdf/build/pdf.worker.js \
         /usr/share/javascript/codemirror/lib/codemirror.js /usr/share/javascript/codemirror/lib/codemirror.css; do
  [[ -f "$rt$f" ]] || fail "$f is not in the image"
done

# ---- the container ---------------------------------------------------------------
# The volume: the image's /workspace (a new volume is a copy of it), with a
# document in it as a clerk would leave one. The secret: the token file,
# readable by the image's user only.
ids=$(user_ids "$rt" "$final_user")
install -d -o "${ids%:*}" -g "${ids#*:}" "$rt/workspace/long-khanh"
install -o "${ids%:*}" -g "${ids#*:}" -m 640 "$repo"/examples/long-khanh/* "$rt/workspace/long-khanh/"
token_file=$(printf '%s\n' "${argv[@]}" | grep -A1 -x -- --token-file | tail -1)
[[ -n "$token_file" && "$token_file" != --token-file ]] || fail "CMD gives no --token-file"
port=$(printf '%s\n' "${argv[@]}" | grep -A1 -x -- --listen | tail -1); port=${port##*:}
export rt final_user work repo port token_file jobs
export -f in_root user_ids fail say

container() {  # the checks, in the container's network namespace
  set -euo pipefail
  ip link set lo up
  local argv base=http://127.0.0.1:$port token pid
  mapfile -t argv < <(jq -r '.[]' <<<"$1"; [[ -n "$2" ]] && jq -r '.[]' <<<"$2")

  say "without the token file the server refuses to start"
  rm -f "$rt$token_file"
  if in_root "$rt" "$final_user" / "${argv[@]}" > "$work/no-token.log" 2>&1; then fail "started without its token"; fi
  cat "$work/no-token.log"

  say "the server, as ENTRYPOINT + CMD, user $final_user"
  token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  install -d "$(dirname "$rt$token_file")"
  printf '%s\n' "$token" > "$rt$token_file"
  chown "$(user_ids "$rt" "$final_user")" "$rt$token_file"; chmod 400 "$rt$token_file"
  (IN_ROOT_EXEC=1 in_root "$rt" "$final_user" / "${argv[@]}" > "$work/server.log" 2>&1) &
  pid=$!
  server_pid=$pid
  trap 'kill "${server_pid:-}" 2>/dev/null || true' EXIT
  for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -fsS "$base/healthz" | tee "$work/healthz.json"; echo
  jq -e '.ok == true' "$work/healthz.json" >/dev/null || fail "/healthz is not ok"
  ps -o uid=,gid=,args= -p $pid | sed 's/^/process: uid, gid, command: /'

  say "the page and its libraries (from the image's libjs-pdf and libjs-codemirror)"
  for p in / /app.js /vendor/pdf/build/pdf.js /vendor/pdf/build/pdf.worker.js \
           /vendor/codemirror/lib/codemirror.js /vendor/codemirror/lib/codemirror.css; do
    code=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "$base$p")
    echo "GET $p: $code"
    [[ "$code" == 200\ * && "${code#* }" -gt 1000 ]] || fail "GET $p: $code"
  done

  say "the API"
  local ex=$repo/examples/long-khanh auth=(-H "Authorization: Bearer $token")
  code=$(curl -s -o /dev/null -w '%{http_code}' -F document=@"$ex/document.json" -F files=@"$ex/body.md" "$base/api/render?format=pdf")
  echo "POST /api/render without the token: $code"; [[ "$code" == 401 ]] || fail "expected 401, got $code"
  code=$(curl -s "${auth[@]}" -o "$work/out.pdf" -w '%{http_code}' -F document=@"$ex/document.json" -F files=@"$ex/body.md" \
         "$base/api/render?format=pdf")
  echo "POST /api/render?format=pdf: $code, $(stat -c %s "$work/out.pdf") bytes"
  [[ "$code" == 200 ]] || { cat "$work/out.pdf"; fail "render: $code"; }
  pdftotext -layout "$work/out.pdf" "$work/out.txt"
  grep -m1 "498/KH-UBND" "$work/out.txt"
  grep -m1 "KẾ HOẠCH" "$work/out.txt"
  grep -q "498/KH-UBND" "$work/out.txt" && grep -q "KẾ HOẠCH" "$work/out.txt" || fail "the PDF lacks its number or title"
  pdffonts "$work/out.pdf" | tail -n +3 | awk '{print "font:", $1}' | sort -u
  pdffonts "$work/out.pdf" | grep -q LiberationSerif || fail "the PDF has not the shipped fonts"
  code=$(curl -s "${auth[@]}" -o "$work/out.docx" -w '%{http_code}' -F document=@"$ex/document.json" -F files=@"$ex/body.md" \
         "$base/api/render?format=docx")
  echo "POST /api/render?format=docx: $code"
  [[ "$code" == 200 ]] && unzip -p "$work/out.docx" word/document.xml | grep -q "498/KH-UBND" || fail "docx render: $code"
  curl -s "${auth[@]}" "$base/api/files" > "$work/files.json"
  echo "GET /api/files: $(jq -c . "$work/files.json" | head -c 200)"
  grep -q "long-khanh/document.json" "$work/files.json" || fail "the workspace document is not listed"
  code=$(curl -s "${auth[@]}" -o "$work/open.json" -w '%{http_code}' "$base/api/open?path=long-khanh/document.json")
  echo "GET /api/open?path=long-khanh/document.json: $code"
  [[ "$code" == 200 ]] || fail "open: $code"
  echo "the workspace volume after the renders:"; ls -la "$rt/workspace" | sed 's/^/  /'

  say "HEALTHCHECK, as user $final_user"
  local hc; mapfile -t hc < <(jq -r ".[$(( $(jq length "$work/stages.json") - 1 ))].steps | map(select(.op == \"HEALTHCHECK\")) | last | .exec[]" "$work/stages.json")
  ((${#hc[@]})) || fail "no HEALTHCHECK in exec form"
  in_root "$rt" "$final_user" / "${hc[@]}" && echo "healthy (exit 0)" || fail "HEALTHCHECK failed with the server running"
  kill $pid; wait $pid 2>/dev/null || true
  ! kill -0 $pid 2>/dev/null || fail "the server did not stop"
  if in_root "$rt" "$final_user" / "${hc[@]}" 2>/dev/null; then fail "HEALTHCHECK passed with the server stopped"; fi
  echo "server stopped: unhealthy (exit non-zero)"
  [[ ! -e "$rt/workspace/.vanban-tmp/$(hostname)-$pid" ]] || fail "the server left its output folder"
  echo "the server removed its output folder when it stopped"
}
export -f container
unshare --net --fork bash -c 'container "$1" "$2"' container "$entry" "$cmd"

say "deploy/Dockerfile: both stages built and the image runs (checked without a Docker engine)"
