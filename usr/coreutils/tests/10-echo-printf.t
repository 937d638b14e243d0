# echo, printf, true, false, yes, seq
t echo-plain '$B/echo hello   world' <<'EOF'
hello world
[0]
EOF
t echo-n '$B/echo -n hi' <<'EOF'
hi[0]
EOF
t echo-e '$B/echo -e "a\tb\\nc\\0101\\x41\\\\"' <<'EOF'
a	b
cAA\
[0]
EOF
t echo-e-stop '$B/echo -e "one\\ctwo"; $B/echo' <<'EOF'
one
[0]
EOF
t echo-E '$B/echo -E "a\\tb"' <<'EOF'
a\tb
[0]
EOF
t echo-nonopt '$B/echo -x -n' <<'EOF'
-x -n
[0]
EOF
t echo-dashdash '$B/echo -- -n' <<'EOF'
-- -n
[0]
EOF
t echo-ne '$B/echo -ne "x\\n"' <<'EOF'
x
[0]
EOF
t echo-empty '$B/echo' <<'EOF'

[0]
EOF
t printf-s '$B/printf "%s-%s\\n" a b c' <<'EOF'
a-b
c-
[0]
EOF
t printf-d '$B/printf "%d %i %5d|%-5d|%05d\\n" 42 -7 3 3 3' <<'EOF'
42 -7     3|3    |00003
[0]
EOF
t printf-x '$B/printf "%x %X %o %#x %#o\\n" 255 255 8 255 8' <<'EOF'
ff FF 10 0xff 010
[0]
EOF
t printf-u '$B/printf "%u\\n" 4000000000' <<'EOF'
4000000000
[0]
EOF
t printf-c '$B/printf "%c%c\\n" hello world' <<'EOF'
hw
[0]
EOF
t printf-pct '$B/printf "100%%\\n"' <<'EOF'
100%
[0]
EOF
t printf-prec '$B/printf "[%.2s] [%8.3s] [%-6s]\\n" abcdef abcdef ab' <<'EOF'
[ab] [     abc] [ab    ]
[0]
EOF
t printf-star '$B/printf "[%*d] [%.*s]\\n" 6 42 2 abcd' <<'EOF'
[    42] [ab]
[0]
EOF
t printf-reuse '$B/printf "%s=%d\\n" a 1 b 2 c' <<'EOF'
a=1
b=2
c=0
[0]
EOF
t printf-esc '$B/printf "a\\tb\\101\\x42\\\\\\n"' <<'EOF'
a	bAB\
[0]
EOF
t printf-b '$B/printf "%b|%s\\n" "x\\ty" "x\\ty"' <<'EOF'
x	y|x\ty
[0]
EOF
t printf-b-stop '$B/printf "%b" "ab\\cd" "ef"; $B/echo' <<'EOF'
ab
[0]
EOF
t printf-char-arg '$B/printf "%d %d\\n" "'"'"'A" "\\"a"' <<'EOF'
[2]
EOF
t printf-hex-arg '$B/printf "%d %d\\n" 0x10 010' <<'EOF'
16 8
[0]
EOF
t printf-bad-num '$B/printf "%d\\n" 12abc' <<'EOF'
12
[1]
EOF
t printf-float '$B/printf "%.3f %e %g\\n" 3.14159 1500 0.0001' <<'EOF'
3.142 1.500000e+03 0.0001
[0]
EOF
t printf-noarg '$B/printf "[%s][%d]\\n"' <<'EOF'
[][0]
[0]
EOF
t printf-plus-space '$B/printf "%+d % d\\n" 5 5' <<'EOF'
+5  5
[0]
EOF
t printf-missing '$B/printf' <<'EOF'
[1]
EOF
t true '$B/true' <<'EOF'
[0]
EOF
t false '$B/false' <<'EOF'
[1]
EOF
t yes-head 'yes | head -n 3' <<'EOF'
y
y
y
[0]
EOF
t yes-str 'yes a b | head -n 2' <<'EOF'
a b
a b
[0]
EOF
t seq-1 'seq 3' <<'EOF'
1
2
3
[0]
EOF
t seq-2 'seq 2 5' <<'EOF'
2
3
4
5
[0]
EOF
t seq-3 'seq 10 -3 1' <<'EOF'
10
7
4
1
[0]
EOF
t seq-s 'seq -s , 1 4' <<'EOF'
1,2,3,4
[0]
EOF
t seq-w 'seq -w 8 10' <<'EOF'
08
09
10
[0]
EOF
t seq-empty 'seq 5 1' <<'EOF'
[0]
EOF
t seq-frac 'seq 0 0.5 2' <<'EOF'
0.0
0.5
1.0
1.5
2.0
[0]
EOF
