x=value
cat <<EOF
plain $x
$(echo cmd) $((1+1))
escaped \$x \\ back
EOF
cat <<'EOF'
quoted $x $(echo no)
EOF
cat <<"E"
dq $x
E
cat <<\E
bs $x
E
