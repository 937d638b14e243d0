x=$(cat <<EOF
inside
EOF
)
echo "$x"
y=$(cat <<'EOF'
$raw
EOF
)
echo "$y"
