using Engagements.Bot;
using Engagements.BotFramework.Hosting;
using Engagements.Data;
using Engagements.Demo;
using Engagements.Mail;
using Engagements.Outbox;
using Engagements.Scheduling;

var builder = WebApplication.CreateBuilder(DemoData.ExpandSwitch(args));

builder.AddDatabase();
builder.AddBot();
builder.AddMail();
builder.AddOutbox();
builder.AddScheduling();
builder.AddDemoData();

var app = builder.Build();

app.MapHealthEndpoints();
app.MapBotMessages();

app.Run();

public partial class Program;
