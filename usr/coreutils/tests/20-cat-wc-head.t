# cat, wc, head, tail
printf 'one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\neleven\ntwelve\n' > lines
printf 'a b\nc\n' > f
printf 'hello world foo\n' > g
printf 'no newline' > nonl
t cat-one 'cat f' <<'EOF'
a b
c
[0]
EOF
t cat-two 'cat f g' <<'EOF'
a b
c
hello world foo
[0]
EOF
t cat-stdin 'cat < g' <<'EOF'
hello world foo
[0]
EOF
t cat-dash 'echo mid | cat f - g' <<'EOF'
a b
c
mid
hello world foo
[0]
EOF
t cat-n 'cat -n f g' <<'EOF'
     1	a b
     2	c
     3	hello world foo
[0]
EOF
t cat-missing 'cat nosuch f' <<'EOF'
a b
c
[1]
EOF
t wc-default 'wc f' <<'EOF'
2 3 6 f
[0]
EOF
t wc-l 'wc -l f' <<'EOF'
2 f
[0]
EOF
t wc-multi 'wc f g' <<'EOF'
 2  3  6 f
 1  3 16 g
 3  6 22 total
[0]
EOF
t wc-pipe 'cat f | wc' <<'EOF'
      2       3       6
[0]
EOF
t wc-pipe-l 'cat f | wc -l' <<'EOF'
2
[0]
EOF
t wc-lw 'wc -lw lines' <<'EOF'
12 12 lines
[0]
EOF
t wc-c-nonl 'wc -c nonl' <<'EOF'
10 nonl
[0]
EOF
t wc-w-spaces 'printf "  a  b\t\nc  " | wc -w' <<'EOF'
3
[0]
EOF
t head-default 'head lines' <<'EOF'
one
two
three
four
five
six
seven
eight
nine
ten
[0]
EOF
t head-n 'head -n 3 lines' <<'EOF'
one
two
three
[0]
EOF
t head-dash-n 'head -2 lines' <<'EOF'
one
two
[0]
EOF
t head-neg 'head -n -10 lines' <<'EOF'
one
two
[0]
EOF
t head-c 'head -c 5 lines' <<'EOF'
one
t[0]
EOF
t head-multi 'head -n 1 f g' <<'EOF'
==> f <==
a b

==> g <==
hello world foo
[0]
EOF
t head-nonl 'head -n 1 nonl' <<'EOF'
no newline[0]
EOF
t tail-default 'tail lines' <<'EOF'
three
four
five
six
seven
eight
nine
ten
eleven
twelve
[0]
EOF
t tail-n 'tail -n 2 lines' <<'EOF'
eleven
twelve
[0]
EOF
t tail-dash 'tail -3 lines' <<'EOF'
ten
eleven
twelve
[0]
EOF
t tail-plus 'tail -n +11 lines' <<'EOF'
eleven
twelve
[0]
EOF
t tail-c 'tail -c 4 lines' <<'EOF'
lve
[0]
EOF
t tail-nonl 'tail -n 1 nonl' <<'EOF'
no newline[0]
EOF
t tail-multi 'tail -n 1 f g' <<'EOF'
==> f <==
c

==> g <==
hello world foo
[0]
EOF
t tail-stdin 'cat lines | tail -n 1' <<'EOF'
twelve
[0]
EOF
