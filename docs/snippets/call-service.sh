SERVICE_URL=${SERVICE_URL:-http://127.0.0.1:8080}
LATCHKEY_URL=${LATCHKEY_URL:-http://127.0.0.1:4000}

# The key in the Authorization header, or as ?api_key= (accepted, but audited):
curl -s -i -w '\n' -H "Authorization: Bearer $USER_KEY" "$SERVICE_URL/users"
curl -s -i -w '\n' "$SERVICE_URL/users?api_key=$USER_KEY"
curl -s -i -w '\n' -X POST -H "Authorization: Bearer $USER_KEY" "$SERVICE_URL/applications/app_1/deploy"
curl -s -i -w '\n' -X POST -H "Authorization: Bearer $USER_KEY" "$SERVICE_URL/applications/app_2/deploy"

# What the middleware asks Latchkey for every request:
curl -s -w '\n' -X POST "$LATCHKEY_URL/v1/keys/verify" \
  -H "Authorization: Bearer $LATCHKEY_SERVICE_KEY" -H 'content-type: application/json' \
  -d "{\"key\":\"$USER_KEY\",\"resource\":\"users\",\"action\":\"read\"}"
