using Engagements.AccountAccess;
using Engagements.Alerts;
using Engagements.Bot;
using Engagements.BotFramework.Hosting;
using Engagements.Data;
using Engagements.Demo;
using Engagements.Health;
using Engagements.Intake;
using Engagements.Mail;
using Engagements.Onboarding;
using Engagements.Outbox;
using Engagements.Playbooks;
using Engagements.PostClose;
using Engagements.Scheduling;
using Engagements.Standup;
using Engagements.Usage;

var builder = WebApplication.CreateBuilder(DemoData.ExpandSwitch(args));

builder.AddDatabase();
builder.AddBot();
builder.AddMail();
builder.AddIntake();
builder.AddPostClose();
builder.AddAccountAccess();
builder.AddStandup();
builder.AddOnboarding();
builder.AddOutbox();
builder.AddAlerts();
builder.AddUsage();
builder.AddHealth();
builder.AddPlaybooks();
builder.AddScheduling(); // after the features: it schedules the jobs they registered
builder.AddDemoData();

var app = builder.Build();

app.MapHealthEndpoints();
app.MapBotMessages();
app.MapIntakeApi();
app.MapAccountAccess();
app.MapGitHubWebhook();
app.MapUsageApi();
app.MapPlaybookLinks();

app.Run();

public partial class Program;
